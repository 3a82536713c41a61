import Testing

@Test func placeholderConnectCluster() { #expect(Bool(true)) }
