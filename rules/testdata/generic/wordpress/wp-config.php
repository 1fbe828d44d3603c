<?php
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp_prod' );
define( 'DB_PASSWORD', 'willow-Juniper-8675?' );
define( 'DB_HOST', 'mysql.internal' );
define( 'AUTH_KEY',         'X}lC]QH5T@)8:!}gX^dn$S[U)t:G{4%Pp&uLQr]tsx&a/oI2?e+Gj;G+HP>4`?)l' );
define( 'SECURE_AUTH_KEY',  '#k|Y6FY&,Q~Y{Vdfn{Sjj3u!ym>HG}%jyJQYVG(,xcWH[f.o$9&<3u:if;23EFW3' );
define( 'LOGGED_IN_SALT',   '~ Z|8<b^j]prCXh!wM98_rFLcs=w3&Y~gXR:Fp{:/%h5+st&3**2Cb|m0 Sml;G*' );
define( 'NONCE_KEY',        'put your unique phrase here' );
$table_prefix = 'wp_';
define( 'WP_DEBUG', false );
