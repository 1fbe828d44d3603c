#!/bin/sh
etcd --name etcd1 \
  --initial-cluster-token=etcd-cluster-0 \
  --initial-cluster-state=new
mysql --user=backup --password=correct-horse-7 -e 'FLUSH TABLES'
