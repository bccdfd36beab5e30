package detector

import "sync"

// publicMnemonics are checksum-valid BIP-39 mnemonics published as test
// data: the reference test vectors of BIP-39 (Trezor's vectors.json) whose
// entropy is random-looking, and the default development mnemonics of
// Ganache and Truffle. Every wallet library and many dapps carry them in
// tests and configs; their accounts are drained the moment they hold
// anything. Like the repeated-entropy vectors (see bip39OK), they guard
// nothing.
var publicMnemonics = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, s := range []string{
		// BIP-39 reference vectors
		"jelly better achieve collect unaware mountain thought cargo oxygen act hood bridge",
		"renew stay biology evidence goat welcome casual join adapt armor shuffle fault little machine walk stumble urge swap",
		"dignity pass list indicate nasty swamp pool script soccer toe leaf photo multiply desk host tomato cradle drill spread actor shine dismiss champion exotic",
		"afford alter spike radar gate glance object seek swamp infant panel yellow",
		"indicate race push merry suffer human cruise dwarf pole review arch keep canvas theme poem divorce alter left",
		"clutch control vehicle tonight unusual clog visa ice plunge glimpse recipe series open hour vintage deposit universe tip job dress radar refuse motion taste",
		"turtle front uncle idea crush write shrug there lottery flower risk shell",
		"kiss carry display unusual confirm curtain upgrade antique rotate hello void custom frequent obey nut hole price segment",
		"exile ask congress lamp submit jacket era scheme attend cousin alcohol catch course end lucky hurt sentence oven short ball bird grab wing top",
		"board flee heavy tunnel powder denial science ski answer betray cargo cat",
		"board blade invite damage undo sun mimic interest slam gaze truly inherit resist great inject rocket museum chief",
		"beyond stage sleep clip because twist token leaf atom beauty genius food business side grid unable middle armed observe pair crouch tonight away coconut",
		"scheme spot photo card baby mountain device kick cradle pact join borrow",
		"horn tenant knee talent sponsor spell gate clip pulse soap slush warm silver nephew swap uncle crack brave",
		"panda eyebrow bullet gorilla call smoke muffin taste mesh discover soft ostrich alcohol speed nation flash devote level hobby quick inner drive ghost inside",
		"cat swing flag economy stadium alone churn speed unique patch report train",
		"light rule cinnamon wrap drastic word pride squirrel upgrade then income fatal apart sustain crack supply proud access",
		"all hour make first leader extend hole alien behind guard gospel lava path output census museum junior mass reopen famous sing advance salt reform",
		"vessel ladder alter error federal sibling chat ability sun glass valve picture",
		"scissors invite lock maple supreme raw rapid void congress muscle digital elegant little brisk hair mango congress clump",
		"void come effort suffer camp survey warrior heavy shoot primary clutch crush open amazing screen patrol group space point ten exist slush involve unfold",
		"ozone drill grab fiber curtain grace pudding thank cruise elder eight picnic",
		"gravity machine north sort system female filter attitude volume fold club stay feature office ecology stable narrow fog",
		"hamster diagram private dutch cause delay private meat slide toddler razor book happy fancy gospel tennis maple dilemma loan word shrug inflict delay length",
		// Ganache's and Truffle's default development mnemonics
		"myth like bonus scare over problem client lizard pioneer submit female collect",
		"candy maple cake sugar pudding cream honey rich smooth crumble sweet treat",
	} {
		m[s] = true
	}
	return m
})
