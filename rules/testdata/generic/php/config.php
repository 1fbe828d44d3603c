<?php
$dbhost = 'mysql.internal';
$dbuser = 'shop';
$dbpass = 'Meadow30*sable';
$link = mysqli_connect('mysql.internal', 'shop', '%t-?IwNFFd-8S4', 'shop');
$link = mysqli_connect($dbhost, $dbuser, $dbpass, $dbname);
$pdo = new PDO('mysql:host=mysql.internal;dbname=shop', 'shop', 'xFKUZE10?bZD^yCp');
$hash = password_hash($_POST['password'], PASSWORD_DEFAULT);
if (!password_verify($password, $row['password_hash'])) { return false; }
