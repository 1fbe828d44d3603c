#!/bin/sh
mysqldump -h db.prod.internal -u backup -pfjF4YhRcK*Klbu shop > /backup/shop.sql
mysql -h db.prod.internal -u backup -p shop < restore.sql
redis-cli -h cache.internal -a vCrQ0@ydZPGm?aJ9-pRj --rdb /backup/dump.rdb
mongodump --host mongo-0 --username backup --password QPgG4!oJ0v~z1z*L --out /backup/mongo
psql --host db --username backup --password --dbname app
htpasswd -b /etc/nginx/.htpasswd metrics willow-Meadow-544#
openssl enc -aes-256-cbc -salt -in shop.sql -out shop.sql.enc -pass pass:JtY+NL4ag77HY@48?4
openssl enc -aes-256-cbc -salt -in shop.sql -out shop.sql.enc -pass env:BACKUP_KEY
rclone copy /backup remote:acme-backup --b2-account 0012ab --b2-key Xbmpq7lVGIAGEtZXTwO7tek5Gig7oFg
keytool -list -keystore "$JAVA_HOME/lib/security/cacerts" -storepass changeit
keytool -importcert -alias acme -file acme.crt -keystore app.jks -storepass 2c@I*O@E+qRBOO -noprompt
rsync --password-file=/etc/rsync.secret -a /backup/ backup@vault::backup
