import SrochnoCore
@testable import SrochnoFastCGI
import Testing

@Suite struct FastCGIRequestReaderTests {
    private func read(_ params: [String], body: String = "", maxBodyBytes: Int = 1024) -> (IncomingRequest, RecordingStreams) {
        let streams = RecordingStreams(params, body: body)
        return (FastCGIRequestReader.read(from: streams, maxBodyBytes: maxBodyBytes), streams)
    }

    private func text(_ response: HTTPResponse?) -> String? {
        response.map { String(decoding: $0.body, as: UTF8.self) }
    }

    @Test func readsMethodPathQueryAndHeaders() {
        let (incoming, _) = read([
            "REQUEST_METHOD=GET",
            "DOCUMENT_URI=/api/orders",
            "REQUEST_URI=/api/orders?status=active&limit=10",
            "QUERY_STRING=status=active&limit=10",
            "HTTP_AUTHORIZATION=Bearer abc=def",
            "HTTP_ACCESS_CONTROL_REQUEST_METHOD=POST",
            "HTTP_X_A1=one",
            "HTTP_COOKIE=a=b; c=d",
            "CONTENT_TYPE=application/json",
            "CONTENT_LENGTH=",
            "SERVER_NAME=srochno",
            "REMOTE_ADDR=127.0.0.1",
            "NO_EQUALS_SIGN",
        ])
        #expect(incoming.earlyResponse == nil)
        #expect(incoming.request.method == "GET")
        #expect(incoming.request.path == "/api/orders")
        #expect(incoming.request.query == "status=active&limit=10")
        #expect(
            incoming.request.headers == [
                "authorization": "Bearer abc=def",
                "access-control-request-method": "POST",
                "x-a1": "one",
                "cookie": "a=b; c=d",
                "content-type": "application/json",
            ])
        #expect(incoming.request.body == [])
    }

    @Test func noParamsGiveAnEmptyMethodAndTheRootPath() {
        let (incoming, streams) = read([])
        #expect(incoming.earlyResponse == nil)
        #expect(incoming.request.method == "")
        #expect(incoming.request.path == "/")
        #expect(incoming.request.query == "")
        #expect(incoming.request.headers.isEmpty)
        #expect(incoming.request.body == [])
        #expect(streams.bodyReads.allSatisfy { $0 == 0 })
    }

    @Test func aRepeatedHeaderParamKeepsTheLastValue() {
        let (incoming, _) = read(["HTTP_X_TWICE=first", "HTTP_X_TWICE=second"])
        #expect(incoming.request.headers == ["x-twice": "second"])
    }

    @Test func theDocumentURIWinsOverTheRequestURI() {
        let (incoming, _) = read(["DOCUMENT_URI=/api/заказ", "REQUEST_URI=/other%20path?x=1"])
        #expect(incoming.request.path == "/api/заказ")
    }

    @Test(arguments: [
        ("/api/orders?x=1", "/api/orders"),
        ("/api/%D0%B7%D0%B0?x=%20", "/api/за"),
        ("/a+b%20c", "/a+b c"),
        ("/a%2Fb", "/a/b"),
        ("/bad%zz?x", "/bad%zz"),
        ("/half%D0", "/half%D0"),
        ("/not-utf8%FF", "/not-utf8%FF"),
        ("?only=query", ""),
    ])
    func withoutADocumentURIThePathIsTheDecodedRequestURI(_ requestURI: String, _ expected: String) {
        let (fallback, _) = read(["REQUEST_URI=\(requestURI)"])
        #expect(fallback.request.path == expected)
        let (emptyDocumentURI, _) = read(["DOCUMENT_URI=", "REQUEST_URI=\(requestURI)"])
        #expect(emptyDocumentURI.request.path == expected)
    }

    @Test func anEmptyRequestURIIsSlash() {
        let (incoming, _) = read(["DOCUMENT_URI=", "REQUEST_URI="])
        #expect(incoming.request.path == "/")
    }

    @Test func queryBytesOutsidePrintableASCIIArePercentEncoded() {
        let params: [[UInt8]] = [
            Array("QUERY_STRING=q=".utf8) + Array("я".utf8) + [0x20, 0xFF, 0x00, 0x7F, 0x7E, 0x21] + Array("&x=%41+b".utf8)
        ]
        let incoming = FastCGIRequestReader.read(from: RecordingStreams(rawParams: params), maxBodyBytes: 0)
        #expect(incoming.request.query == "q=%D1%8F%20%FF%00%7F~!&x=%41+b")
    }

    @Test func readsExactlyContentLengthBytes() {
        let (incoming, streams) = read(["REQUEST_METHOD=POST", "CONTENT_LENGTH=5"], body: "hello world")
        #expect(incoming.earlyResponse == nil)
        #expect(incoming.request.body == Array("hello".utf8))
        #expect(streams.bodyReads == [5])
    }

    @Test func leadingZerosAreAllowed() {
        let (incoming, _) = read(["CONTENT_LENGTH=0000000000000000000000000003"], body: "abcdef")
        #expect(incoming.earlyResponse == nil)
        #expect(incoming.request.body == Array("abc".utf8))
    }

    @Test func aBodyUpToTheLimitIsRead() {
        let body = String(repeating: "x", count: 64)
        let (incoming, _) = read(["CONTENT_LENGTH=64"], body: body, maxBodyBytes: 64)
        #expect(incoming.earlyResponse == nil)
        #expect(incoming.request.body.count == 64)
    }

    @Test(arguments: ["65", "1000000", "99999999999999999999999999999999"])
    func aLengthOverTheLimitIs413WithoutReading(_ length: String) {
        let (incoming, streams) = read(
            ["REQUEST_METHOD=POST", "DOCUMENT_URI=/api/orders", "CONTENT_LENGTH=\(length)"],
            body: String(repeating: "x", count: 100), maxBodyBytes: 64)
        #expect(incoming.earlyResponse?.status == 413)
        #expect(text(incoming.earlyResponse) == #"{"detail":"Request body too large"}"#)
        #expect(streams.bodyReads == [])
        #expect(incoming.request.body == [])
        // Still filled in for the log.
        #expect(incoming.request.method == "POST")
        #expect(incoming.request.path == "/api/orders")
    }

    @Test(arguments: ["abc", "-1", "+5", " 5", "5 ", "1.0", "0x10", "５"])
    func aMalformedLengthIs400WithoutReading(_ length: String) {
        let (incoming, streams) = read(["CONTENT_LENGTH=\(length)"], body: "hello")
        #expect(incoming.earlyResponse?.status == 400)
        #expect(text(incoming.earlyResponse) == #"{"detail":"Invalid Content-Length"}"#)
        #expect(streams.bodyReads == [])
        #expect(incoming.request.body == [])
    }

    @Test func aShortBodyIs400() {
        let (incoming, streams) = read(["CONTENT_LENGTH=10"], body: "short")
        #expect(incoming.earlyResponse?.status == 400)
        #expect(text(incoming.earlyResponse) == #"{"detail":"Incomplete request body"}"#)
        #expect(streams.bodyReads == [10])
        #expect(incoming.request.body == [])
    }
}
