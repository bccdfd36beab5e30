token := "Fy7Kp2Synth9Wq4Zx3"
---8<---
cfg := Config{APIKey: "Gz3Wq8Synth5Kx2Lm9"}
