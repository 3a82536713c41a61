import Testing

@Test func placeholderConvertersTests() { #expect(Bool(true)) }
