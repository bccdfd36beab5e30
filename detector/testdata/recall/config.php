'db_password' => 'Gm8Zq3Synth6Lx2Wp9',
