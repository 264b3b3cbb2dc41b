/// The published OpenAPI 3.1 contract, served at `GET /api/openapi.json`.
/// (Being written; see issue 6.)
enum OpenAPIDocument {
    static let json = #"""
    {"openapi": "3.1.0", "info": {"title": "Srochno API", "version": "1.0.0"}, "paths": {}}
    """#

    static let bytes: [UInt8] = Array(json.utf8)
}
