import Testing

@Test func placeholderSpoolDirTests() { #expect(Bool(true)) }
