API_SECRET = "Wq9Zr4Synth2Lm7Xk8"
---8<---
client = Client(api_key="Zq8Lm2Synth7Wx4Kp9", timeout=10)
---8<---
settings = {"passphrase": "Tr5Wk8Synth3Zq6Xm2"}
