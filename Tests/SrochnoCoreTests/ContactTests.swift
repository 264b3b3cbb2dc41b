import SrochnoCore
import Testing

@Suite struct ContactTests {
    @Test(arguments: [
        ("+7 999 123-45-67", "+79991234567"),
        ("8 (999) 1234567", "+79991234567"),
        ("+79991234567", "+79991234567"),
        ("79991234567", "+79991234567"),
        ("8-495-123-45-67", "+74951234567"),
        (" +7 (383) 123.45.67 ", "+73831234567"),
        ("8 800 555 35 35", "+78005553535"),
        ("@some_user", "@some_user"),
        ("@abcde", "@abcde"),
        ("@" + String(repeating: "x", count: 32), "@" + String(repeating: "x", count: 32)),
    ])
    func normalisesAcceptedForms(_ raw: String, _ expected: String) {
        #expect(Contact.normalize(raw) == expected)
    }

    @Test(arguments: [
        "", "12345", "@abc", "@abcd", "@" + String(repeating: "x", count: 33), "@bad-name", "@имя_пользователя",
        "+1 202 555 0100", "+7 799 123 45 67", "+8 999 123 45 67", "9991234567", "+7 999 123 45 6", "+7 999 123 45 678",
        "+7 999 123 45 67 ext 1", "7+9991234567", "+7 999 123/45/67", "call me", "++79991234567",
    ])
    func rejectsEverythingElse(_ raw: String) {
        #expect(Contact.normalize(raw) == nil)
    }

    @Test func writingsOfOneNumberShareOneForm() {
        let forms = ["+7 999 123-45-67", "8 (999) 123-45-67", "+7(999)1234567", "89991234567"]
        #expect(Set(forms.compactMap(Contact.normalize)).count == 1)
    }
}
