import Foundation
import Testing

@testable import OpsAWS

@Suite("AMZDate")
struct AMZDateTests {
    @Test(arguments: [
        (0.0, "19700101T000000Z"),
        (1_440_938_160, "20150830T123600Z"),
        (1_440_938_160.999, "20150830T123600Z"),
        (951_782_400, "20000229T000000Z"),
        (1_456_790_399, "20160229T235959Z"),
        (4_102_444_800, "21000101T000000Z"),
        (-1, "19691231T235959Z"),
        (253_402_300_799, "99991231T235959Z"),
    ])
    func rendersUTCWholeSeconds(_ seconds: Double, _ expected: String) {
        // act
        let date = AMZDate(Date(timeIntervalSince1970: seconds))
        // assert
        #expect(date.dateTime == expected)
        #expect(date.date == String(expected.prefix(8)))
    }

    @Test func agreesWithTheCalendarOverManyDays() throws {
        // setup
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        // act / assert: every 7 days and 1 second from 1970 to 2100
        var seconds: Int64 = 0
        while seconds < 4_102_444_800 {
            let instant = Date(timeIntervalSince1970: Double(seconds))
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
            let expected = String(
                format: "%04d%02d%02dT%02d%02d%02dZ", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
                parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
            #expect(AMZDate(instant).dateTime == expected)
            seconds += 7 * 86_400 + 1
        }
    }
}
