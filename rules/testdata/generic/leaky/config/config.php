<?php
$dbhost = 'localhost';
$dbuser = 'forum';
$dbpasswd = 'ForumDb#2009';
