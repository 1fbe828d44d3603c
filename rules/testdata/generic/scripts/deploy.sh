#!/usr/bin/env bash
set -euo pipefail
export DEPLOY_TOKEN="9xpxClBdp3xP0FyNIJiEnDHplwzZyaRkx2EVY0dk"
export GITHUB_TOKEN="${GH_TOKEN}"
DB_PASSWORD="$(vault kv get -field=password secret/db)"
REGISTRY_PASSWORD=MQD@52B%+HxnAAITbO
docker login -u deploy -p 4Pqg8x_W7PQvyFqS registry.acme.io
echo "$REGISTRY_PASSWORD" | docker login -u deploy --password-stdin registry.acme.io
curl -fsS -u deploy:A6=~Gf!nwcOtU%Xt https://nexus.acme.io/repository/raw/app.tgz -T app.tgz
curl -fsS -u "$NEXUS_USER:$NEXUS_PASSWORD" https://nexus.acme.io/service/rest/v1/status
sshpass -p 'lantern-Canyon-6392?' ssh -o StrictHostKeyChecking=no deploy@10.0.4.7 'sudo systemctl restart app'
sshpass -p "$SSH_PASS" scp app.tgz deploy@10.0.4.7:/opt/app/
PGPASSWORD=U04%umGpjwY*rw psql -h db.internal -U migrator -d app -f migrate.sql
PGPASSWORD="$DB_PASSWORD" pg_dump -h db.internal -U backup app > app.sql
read -rsp "Password: " password
echo "token refreshed"
if [ -z "${DB_PASSWORD:-}" ]; then echo "DB_PASSWORD missing" >&2; exit 1; fi
