import Testing
@Test func placeholderRemovedSoon() {}
