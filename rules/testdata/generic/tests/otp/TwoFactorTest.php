<?php
$valid = $google2fa->verifyKey('SUNILBCARVXHCCMD', $code);
$fromUser = $google2fa->verifyKey($user->google2fa_secret, $code);
