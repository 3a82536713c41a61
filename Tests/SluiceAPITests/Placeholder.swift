import Testing

@Test func placeholderSluiceAPITests() { #expect(Bool(true)) }
