import ftplib
conn = ftplib.FTP("ftp.acme-files.net")
conn.login('backup', 'FtpL0gin2018')
