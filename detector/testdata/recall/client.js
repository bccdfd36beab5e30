const apiKey = 'Vb6Nq3Synth8Zx2Lm5';
---8<---
module.exports = {secretKey:"Jt5Rw8Synth3Kq9Zm2"};
---8<---
headers['x-auth'] = "Ls4Qm9Synth2Zw7Kx6"
---8<---
config[SECRET_KEY] = "Zq8LmSynth7Wx4Kp9Rt2Vn6Bc";
