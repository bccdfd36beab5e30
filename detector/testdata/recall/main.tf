resource "vault_generic_secret" "bot" {
  client_secret = "Nm5Qz7Synth3Xw9Lk2Rv"
}
---8<---
provider "exchange" {
  api_key = "Pw8Zk3Synth7Qm2Xv5Ln"
}
