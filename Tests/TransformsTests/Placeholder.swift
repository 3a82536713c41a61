import Testing

@Test func placeholderTransformsTests() { #expect(Bool(true)) }
