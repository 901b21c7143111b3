import Testing
import XuequCore

@Suite struct DisplayWidthTests {
    @Test func requiredExamples() {
        #expect(DisplayWidth.of("张三") == 4)
        #expect(DisplayWidth.of("ABC") == 3)
        #expect(DisplayWidth.of("\u{E9}") == 1)  // é composed
        #expect(DisplayWidth.of("e\u{301}") == 1)  // é decomposed
        #expect(DisplayWidth.of("１２") == 4)  // fullwidth digits
        #expect(DisplayWidth.of("") == 0)
    }

    @Test func mixedText() {
        #expect(DisplayWidth.of("张三ABCD") == 8)
        #expect(DisplayWidth.of("第1中学（北校区）") == 17)  // fullwidth parentheses
        #expect(DisplayWidth.of("，。、") == 6)  // CJK and fullwidth punctuation
        #expect(DisplayWidth.of("\u{3000}") == 2)  // ideographic space
        #expect(DisplayWidth.of("ｱ") == 1)  // halfwidth katakana
        #expect(DisplayWidth.of("한국어") == 6)
        #expect(DisplayWidth.of("ひらがなカタカナ") == 16)
        #expect(DisplayWidth.of("𠮷") == 2)  // CJK Extension B
    }

    @Test func zeroWidthAndControls() {
        #expect(DisplayWidth.of("a\u{200B}b") == 2)
        #expect(DisplayWidth.of("\u{FEFF}工号") == 4)
        #expect(DisplayWidth.of("\t\n\u{7}") == 0)
        #expect(DisplayWidth.of("\u{301}") == 0)  // lone combining mark
        #expect(DisplayWidth.of("\u{1100}\u{1161}\u{11A8}") == 2)  // decomposed Hangul 각
    }

    @Test func emoji() {
        #expect(DisplayWidth.of("😀") == 2)
        #expect(DisplayWidth.of("👍🏽") == 2)  // skin-tone modifier
        #expect(DisplayWidth.of("❤\u{FE0F}") == 2)  // emoji presentation selector
        #expect(DisplayWidth.of("❤") == 1)  // text presentation
        #expect(DisplayWidth.of("🇨🇳") == 2)  // flag
        #expect(DisplayWidth.of("👨‍👩‍👧") == 2)  // ZWJ family
    }
}
