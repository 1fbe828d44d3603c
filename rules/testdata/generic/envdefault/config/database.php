<?php
return [
    'username' => env('DB_USERNAME', 'forge'),
    'password' => env('DB_PASSWORD', 'Hx3@pLw8!'),
    'redis' => env('REDIS_PASSWORD', null),
];
