import SrochnoCore

extension API {
    func openAPIDocument(_ context: RequestContext) -> HTTPResponse {
        .json(200, OpenAPIDocument.bytes)
    }
}
