import Testing

@Test func placeholderIntegration() { #expect(Bool(true)) }
