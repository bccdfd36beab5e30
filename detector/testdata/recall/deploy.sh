export SERVICE_AUTH=Rk8Zq2Synth7Wm4Lp9
---8<---
./upload --api-key=Hd4Zq9Synth2Wm7Kx5 --bucket logs
---8<---
PUSH_TOKEN='Bx6Kq2Synth9Zw4Mp7' ./notify.sh
