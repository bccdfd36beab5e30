API_SECRET = "Wq9Zr4Synth2Lm7Xk8"
---8<---
client = Client(api_key="Zq8Lm2Synth7Wx4Kp9", timeout=10)
---8<---
settings = {"passphrase": "Tr5Wk8Synth3Zq6Xm2"}
---8<---
        self.wallet_private_key = "0x4c0f83a6d1b2e9c75f3a8d0e6b1c4f2a9e7d3b5c8a0f6e1d4b7c2a9f5e3d8b1c"
---8<---
signing_key = "key_3f9a1c7e5b2d8f4a6c0e9b1d7f3a5c8e"
