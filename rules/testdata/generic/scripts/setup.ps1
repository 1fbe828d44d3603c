$secure = ConvertTo-SecureString "Ember_thistle_8164" -AsPlainText -Force
$secure = ConvertTo-SecureString $env:ADMIN_PASSWORD -AsPlainText -Force
$ApiToken = "vg9hIZ0qFNDsJoF7R5Jqx6tEq1BCv0eCPVDlYJYl"
$env:AZURE_CLIENT_SECRET = "anAEt6tNmh.FvmCNf0kANbDq0NtxgWW.1f0-TPFa"
$password = Read-Host -AsSecureString "Password"
$cred = Get-Credential -UserName "acme\svc-deploy" -Message "Deploy account"
$secret = (Get-AzKeyVaultSecret -VaultName acme-kv -Name sql-password).SecretValue
sqlcmd -S sql-prod -U sa -P thP7mnQO!!Feei+F -i .\schema.sql
param([string]$Password, [string]$Token)
