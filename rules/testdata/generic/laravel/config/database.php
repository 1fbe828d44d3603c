<?php
return [
    'password' => env('DB_PASSWORD', ''),
    'password' => env('REDIS_PASSWORD', 'Walrus_otter_24461'),
    'token' => env('SLACK_TOKEN', null),
    'secret' => 'StSEoOffPj6Z4tVgoMiKdD6m2tCT89z90XlyHFiF',
    'driver' => 'pgsql',
    'key' => env('APP_KEY', 'base64:2U/hhjHtYaGKbtRmvxsE0ZbhpM+wRXGlUG5OA0Jo+tA='),
    'cipher' => 'AES-256-CBC',
];
