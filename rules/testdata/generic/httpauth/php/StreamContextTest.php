<?php
$options = array('http' => array('header' => "User-agent: foo\r\nAuthorization: Basic ZGVwbG95OldkOSFrcQ=="));
$expected = 'Proxy-Authorization: Basic dXNlcjoke1BBU1NXT1JEfQ==';
