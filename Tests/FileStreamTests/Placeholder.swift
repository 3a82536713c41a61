import Testing

@Test func placeholderFileStream() { #expect(Bool(true)) }
