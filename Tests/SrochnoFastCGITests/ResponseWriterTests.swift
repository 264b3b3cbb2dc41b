import SrochnoCore
@testable import SrochnoFastCGI
import Testing

@Suite struct ResponseWriterTests {
    private func written(_ response: HTTPResponse) -> (output: String, result: ResponseWriter.Written) {
        let streams = RecordingStreams([])
        let result = ResponseWriter.write(response, to: streams)
        return (streams.output, result)
    }

    @Test func writesStatusHeadersLengthAndBody() {
        let (output, result) = written(.json(200, Array(#"{"a":1}"#.utf8)))
        #expect(output == "Status: 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}")
        #expect(result.status == 200)
        #expect(result.user == nil)
    }

    @Test func keepsHeaderOrderAndRepeatsAndCountsBytesNotCharacters() {
        var response = HTTPResponse(status: 201, headers: [("Set-Cookie", "a=1"), ("X-Name", "Иван"), ("Set-Cookie", "b=2")])
        response.body = Array("Пётр".utf8)
        let (output, result) = written(response)
        #expect(output == "Status: 201 Created\r\nSet-Cookie: a=1\r\nX-Name: Иван\r\nSet-Cookie: b=2\r\nContent-Length: 8\r\n\r\nПётр")
        #expect(result.status == 201)
    }

    @Test func anEmptyBodyHasLengthZero() {
        let (output, _) = written(HTTPResponse(status: 404))
        #expect(output == "Status: 404 Not Found\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func carriageReturnsAndLineFeedsInHeadersBecomeSpaces() {
        let response = HTTPResponse(
            status: 200,
            headers: [
                ("X-A\r\nInjected", "v\r\nSet-Cookie: x=1"),
                ("X-B", "only\nlf and only\rcr"),
            ])
        let (output, _) = written(response)
        #expect(output == "Status: 200 OK\r\nX-A  Injected: v  Set-Cookie: x=1\r\nX-B: only lf and only cr\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func dropsTheHandlersOwnContentLengthAndStatusInAnyCase() {
        let response = HTTPResponse(
            status: 200,
            headers: [
                ("content-length", "999"),
                ("STATUS", "302 Found"),
                ("Content-Length", "1"),
                ("Status", "500"),
                ("Content-Lengths", "kept"),
                ("X-Status", "kept"),
            ], body: Array("abc".utf8))
        let (output, result) = written(response)
        #expect(output == "Status: 200 OK\r\nContent-Lengths: kept\r\nX-Status: kept\r\nContent-Length: 3\r\n\r\nabc")
        #expect(result.status == 200)
    }

    @Test func noContentAndNotModifiedHaveNoLengthAndNoBody() {
        var noContent = HTTPResponse.noContent
        noContent.headers = [("X-Kept", "1"), ("Content-Length", "5")]
        noContent.body = Array("ignored".utf8)
        #expect(written(noContent).output == "Status: 204 No Content\r\nX-Kept: 1\r\n\r\n")
        #expect(written(noContent).result.status == 204)

        let notModified = HTTPResponse(status: 304, headers: [("ETag", "\"x\"")], body: Array("ignored".utf8))
        #expect(written(notModified).output == "Status: 304 Status 304\r\nETag: \"x\"\r\n\r\n")
    }

    @Test func informationalStatusesHaveNoBody() {
        let (output, result) = written(HTTPResponse(status: 103, body: Array("ignored".utf8)))
        #expect(output == "Status: 103 Status 103\r\n\r\n")
        #expect(result.status == 103)
    }

    @Test(arguments: [0, 99, 600, -1, 1000])
    func statusesOutsideTheRangeAreSentAs500(_ status: Int) {
        let (output, result) = written(HTTPResponse(status: status, body: Array("x".utf8)))
        #expect(output == "Status: 500 Internal Server Error\r\nContent-Length: 1\r\n\r\nx")
        #expect(result.status == 500)
    }

    @Test func headKeepsTheGetsLengthButSendsNoBody() {
        var response = HTTPResponse.json(200, Array(#"{"id":"abc"}"#.utf8))
        response.omitsBody = true
        let streams = RecordingStreams([])
        let result = ResponseWriter.write(response, to: streams)
        #expect(streams.output == "Status: 200 OK\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n")
        #expect(streams.writes.count == 1)
        #expect(result.status == 200)
    }

    @Test func headOfANoContentResponseHasNoLength() {
        var response = HTTPResponse.noContent
        response.omitsBody = true
        #expect(written(response).output == "Status: 204 No Content\r\n\r\n")
    }

    @Test func theUserIsReturnedForTheLogAndNeverSent() {
        var response = HTTPResponse.json(200, Array("{}".utf8))
        response.userID = 987_654_321
        let (output, result) = written(response)
        #expect(output == "Status: 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
        #expect(result.user == 987_654_321)
        #expect(result.status == 200)
    }

    @Test func anAPIErrorIsWrittenWithItsHeaders() {
        let (output, result) = written(APIError.notAuthenticated.response)
        #expect(
            output
                == "Status: 401 Unauthorized\r\nContent-Type: application/json\r\nWWW-Authenticate: Bearer\r\nContent-Length: 30\r\n\r\n{\"detail\":\"Not authenticated\"}"
        )
        #expect(result.status == 401)
    }

    @Test(arguments: [
        ("content-length", "content-length", true),
        ("Content-Length", "content-length", true),
        ("CONTENT-LENGTH", "content-length", true),
        ("content-lengt", "content-length", false),
        ("content-lengths", "content-length", false),
        ("content_length", "content-length", false),
        ("Status", "status", true),
        ("Ѕtatus", "status", false),
        ("", "", true),
    ])
    func headerNamesCompareIgnoringASCIICase(_ name: String, _ lowercased: String, _ expected: Bool) {
        #expect(ResponseWriter.equalsIgnoringCase(name, lowercased) == expected)
    }
}
