import SrochnoCore

extension ServiceRoutes {
    /// `GET /api/openapi.json`: the published OpenAPI 3.1 contract, `OpenAPI/openapi.json`
    /// byte for byte. SwiftPM compiles that file into the module as `PackageResources.openapi_json`
    /// (`.embedInCode` in Package.swift: a `[UInt8]` literal, no Bundle and no Foundation).
    ///
    /// The file is edited by hand and kept formatted as
    /// `python3 -m json.tool --indent 2 --no-ensure-ascii` prints it. It describes every route of
    /// `API.routeList` with its parameters, bodies and every status it can answer (nginx's own
    /// 413, 429 and 503 included); its bounds are `Bounds`' values. `OpenAPIBoundsTests` checks
    /// those bounds against `Bounds`, `OpenAPIDocumentTests` that it covers exactly the router's
    /// routes, openapi-spec-validator (scripts/lib/validate-openapi.sh) that it is valid OpenAPI
    /// 3.1 (beside a `$ref` to a shared response only `summary` and `description` may stand: a
    /// response with its own `links` is written out), and Schemathesis
    /// (scripts/lib/schemathesis.sh) checks the running server against it.
    func openAPIDocument(_ context: RequestContext) -> HTTPResponse {
        .json(200, PackageResources.openapi_json)
    }
}
