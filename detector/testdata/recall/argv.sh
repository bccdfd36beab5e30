curl -s "https://api.telegram.org/bot7319054826:AAHk2Wq8Zt5Yx1Mv7Lp4Nc9Hb3Gd6Fs0Ja7/sendMessage?chat_id=-1001234567&text=filled"
---8<---
requests.get(f"https://api.telegram.org/bot5820147396:AAFq9Wz2Synth7Lm4Xk8Vp3Rt6Yn1Bc5Hd0/getUpdates")
---8<---
redis-cli -h redis -p 6379 -a Harbor7Tide5Dga --no-auth-warning info replication
---8<---
    command: redis-server --appendonly yes --requirepass Harbor7Tide5Dga
---8<---
127.0.0.1:6379> AUTH Harbor7Tide5Dga
---8<---
1764064800.123456 [0 172.18.0.5:50412] "AUTH" "Harbor7Tide5Dga"
---8<---
1764064800.123456 [0 172.18.0.5:50412] "AUTH" "bot1" "Harbor7Tide5Dga"
---8<---
python -m bot --exchange bitget --api-key Zq8Ws7kQ2xSynth9Vd4T --api-secret 9c2e71fa04b8d35e6a1f0c97d2b4e8a1 --passphrase Tq7Wn2Vx9Yk4Mz1Synth
---8<---
docker run --rm ops/bot:latest --api-secret=9c2e71fa04b8d35e6a1f0c97d2b4e8a1
---8<---
    args: ["--passphrase", "Tq7Wn2Vx9Yk4Mz1Synth"]
---8<---
mysql -h db -u trader -pHarbor7Tide5Dga ops < schema.sql
---8<---
mysqldump --user=trader --password=Harbor7Tide5Dga ops > /backup/ops.sql
