@testable import SrochnoAPI
import SrochnoCore
import Testing

/// `GET /api/openapi.json` (issue 6): the served document is OpenAPI 3.1, describes exactly the
/// routes the router serves, and documents the statuses every operation can answer. The served
/// bytes are `Sources/SrochnoAPI/OpenAPI/openapi.json`'s (`PackageResources.openapi_json`), whose
/// bounds `OpenAPIBoundsTests` checks against `Bounds` without a stack. Whether
/// the whole document is valid OpenAPI 3.1 is openapi-spec-validator's job
/// (scripts/lib/validate-openapi.sh), and whether the server's answers conform to it
/// Schemathesis's (scripts/lib/schemathesis.sh); both run in full `scripts/test` runs.
@Suite struct OpenAPIDocumentTests {
    static let methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    /// The served document, parsed.
    func document() throws -> JSONValue {
        let response = try TestStack().client.get("/api/openapi.json")
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        return try response.json()
    }

    /// Every (METHOD, path) of the document; `{name}` parameters written as `{}` like the router's.
    func operations(_ document: JSONValue) -> [(method: String, path: String, operation: JSONValue)] {
        guard case .object(let paths)? = document["paths"] else { return [] }
        return paths.flatMap { path, item in
            Self.methods.compactMap { method in
                item[method].map { (method.uppercased(), routerPattern(path), $0) }
            }
        }
    }

    func routerPattern(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("{") && $0.hasSuffix("}") ? "{}" : String($0) }
            .joined(separator: "/")
    }

    /// Follows a local `$ref` (`#/components/...`).
    func resolve(_ value: JSONValue, in document: JSONValue) -> JSONValue {
        guard let reference = value["$ref"]?.stringValue, reference.hasPrefix("#/") else { return value }
        var target: JSONValue? = document
        for part in reference.dropFirst(2).split(separator: "/") { target = target?[String(part)] }
        return target.map { resolve($0, in: document) } ?? .null
    }

    /// The operation documented for `method` (lower case) on `path` (as written in the document).
    func operation(_ document: JSONValue, _ method: String, _ path: String) -> JSONValue? {
        document["paths"]?[path]?[method]
    }

    /// The operation's parameter `name`, its reference resolved.
    func parameter(_ document: JSONValue, _ operation: JSONValue?, _ name: String) -> JSONValue? {
        guard case .array(let parameters)? = operation?["parameters"] else { return nil }
        return parameters.lazy.map { resolve($0, in: document) }.first { $0["name"]?.stringValue == name }
    }

    @Test func isAnOpenAPI31DocumentServedAsJSON() throws {
        let response = try TestStack().client.get("/api/openapi.json")
        #expect(response.body == PackageResources.openapi_json, "the served bytes are OpenAPI/openapi.json")
        let document = try document()
        #expect(document["openapi"]?.stringValue?.hasPrefix("3.1.") == true)
        #expect(document["info"]?["title"]?.stringValue == "Srochno API")
        #expect(document["servers"] == .array([.object([("url", .string("/"))])]))
        #expect(document["components"]?["securitySchemes"]?["telegramInitData"]?["scheme"]?.stringValue == "bearer")
    }

    @Test func documentsExactlyTheRoutesTheRouterServes() throws {
        let documented = Set(operations(try document()).map { "\($0.method) \($0.path)" })
        let served = Set(API.routeList.map { "\($0.method) \($0.pattern)" })
        #expect(!served.isEmpty)
        #expect(served.subtracting(documented).sorted() == [], "routes the document does not describe")
        #expect(documented.subtracting(served).sorted() == [], "documented operations the router does not serve")
    }

    /// A black-box check of the same: the running server knows every documented operation
    /// (the router's own 404 is `Not Found`, its 405 `Method Not Allowed`).
    @Test func theRunningServerAnswersEveryDocumentedOperation() throws {
        let client = try TestStack().client
        for (method, path, _) in operations(try document()) {
            let concrete = path.replacing("{}", with: "AAAAAAAAAAAA")
            let response = try client.send(method, concrete, body: method == "GET" || method == "DELETE" ? nil : Array("{}".utf8))
            #expect(response.status != 405, "\(method) \(concrete): \(response.text)")
            #expect(!(response.status == 404 && response.detail == "Not Found"), "\(method) \(concrete): \(response.text)")
        }
    }

    @Test func everyOperationDocumentsItsErrorsAsJSON() throws {
        let document = try document()
        let globalSecurity = document["security"]
        var operationIDs = Set<String>()
        for (method, path, operation) in operations(document) {
            let name = "\(method) \(path)"
            let id = operation["operationId"]?.stringValue
            #expect(id != nil, "\(name) has no operationId")
            if let id { #expect(operationIDs.insert(id).inserted, "\(name): duplicate operationId \(id)") }
            guard case .object(let responses)? = operation["responses"] else {
                Issue.record("\(name) has no responses")
                continue
            }
            let statuses = Set(responses.map(\.key))
            #expect(statuses.contains("429") && statuses.contains("503"), "\(name) must document nginx's 429 and 503")
            #expect(statuses.contains { $0.hasPrefix("2") }, "\(name) documents no success")
            if operation["requestBody"] != nil {
                #expect(statuses.isSuperset(of: ["413", "422"]), "\(name) takes a body: 413 and 422")
            }
            if case .array(let parameters)? = operation["parameters"],
                parameters.contains(where: { resolve($0, in: document)["in"]?.stringValue == "query" })
            {
                #expect(statuses.contains("422"), "\(name) takes query parameters: 422")
            }
            if path.contains("{}") { #expect(statuses.contains("404"), "\(name) takes an id: 404") }
            // Authenticated unless the operation says otherwise: `security: []` is no auth at all,
            // an empty requirement `{}` among others makes it optional (an invalid one counts as none).
            guard case .array(let requirements)? = operation["security"] ?? globalSecurity else {
                Issue.record("\(name) has no security requirements")
                continue
            }
            if !requirements.isEmpty && !requirements.contains(.object([])) {
                #expect(statuses.contains("401"), "\(name) is authenticated: 401")
                let unauthorized = responses.first { $0.key == "401" }.map { resolve($0.value, in: document) }
                #expect(unauthorized?["headers"]?["WWW-Authenticate"] != nil, "\(name): 401 carries WWW-Authenticate")
            }
            for (status, response) in responses {
                let resolved = resolve(response, in: document)
                let content = resolved["content"]
                if status == "204" {
                    #expect(content == nil, "\(name) \(status) has no body")
                } else if name == "GET /metrics" && status == "200" {
                    // Prometheus' text format; its errors are JSON like every other.
                    #expect(content?["text/plain"]?["schema"] != nil, "\(name) \(status) must be text/plain")
                } else {
                    #expect(content?["application/json"]?["schema"] != nil, "\(name) \(status) must be application/json")
                }
            }
        }
    }

    @Test func validationErrorsHaveFastAPIsShape() throws {
        let document = try document()
        let schemas = document["components"]?["schemas"]
        #expect(
            schemas?["HTTPValidationError"]?["properties"]?["detail"]?["items"]?["$ref"]?.stringValue
                == "#/components/schemas/ValidationError")
        #expect(schemas?["ValidationError"]?["required"] == .array([.string("loc"), .string("msg"), .string("type")]))
        #expect(schemas?["ErrorDetail"]?["required"] == .array([.string("detail")]))
    }

    /// The enums clients generate from are the server's exact strings.
    @Test func enumsAreTheServersExactStrings() throws {
        let schemas = try document()["components"]?["schemas"]
        #expect(schemas?["Category"]?["enum"] == .array(OrderCategory.allCases.map { .string($0.rawValue) }))
        #expect(schemas?["ComplaintReason"]?["enum"] == .array(ComplaintReason.allCases.map { .string($0.rawValue) }))
        #expect(schemas?["OrderStatus"]?["enum"] == .array(OrderStatus.allCases.map { .string($0.rawValue) }))
    }

    /// OpenAPI 3.1 allows only `summary` and `description` beside `$ref` in a Reference Object
    /// (a response, parameter, header, link, …): anything else, like `links` next to a shared
    /// response, makes the document invalid. Schemas (JSON Schema 2020-12) may have siblings.
    @Test func referenceObjectsHaveNoOtherMembers() throws {
        var offenders: [String] = []
        func visit(_ value: JSONValue, at path: String, inSchema: Bool) {
            switch value {
            case .object(let members):
                if !inSchema, members.contains(where: { $0.key == "$ref" }) {
                    let extra = members.map(\.key).filter { !["$ref", "summary", "description"].contains($0) }
                    if !extra.isEmpty { offenders.append("\(path): \(extra)") }
                }
                for (key, member) in members {
                    let schema = inSchema || key == "schema" || path == "#/components/schemas"
                    visit(member, at: "\(path)/\(key)", inSchema: schema)
                }
            case .array(let items):
                for (index, item) in items.enumerated() { visit(item, at: "\(path)/\(index)", inSchema: inSchema) }
            default:
                break
            }
        }
        visit(try document(), at: "#", inSchema: false)
        #expect(offenders == [])
    }

    /// `GET /api/orders` (SPEC §6): `status` is one of the five statuses (anything else, the
    /// empty value included, is FastAPI's 422 enum error) and `offset` is at most 10,000, like
    /// every paged list's.
    @Test func orderListParametersAreBounded() throws {
        let document = try document()
        let list = operation(document, "get", "/api/orders")
        let status = parameter(document, list, "status")
        let statusSchema = status.map { resolve($0["schema"] ?? .null, in: document) }
        #expect(statusSchema?["enum"] == .array(OrderStatus.allCases.map { .string($0.rawValue) }))
        #expect(statusSchema?["type"]?.stringValue == "string")
        #expect(status?["schema"]?["default"]?.stringValue == OrderStatus.active.rawValue)
        #expect(status?["allowEmptyValue"] == nil, "an empty status is a 422")

        let offset = parameter(document, list, "offset")?["schema"]
        #expect(offset?["type"]?.stringValue == "integer")
        #expect(offset?["minimum"]?.intValue == 0)
        #expect(offset?["maximum"]?.intValue == Int64(Bounds.maximumOffset))
        #expect(parameter(document, list, "limit")?["schema"]?["maximum"]?.intValue == Bounds.orderListLimit.range.upperBound)
        let ledger = operation(document, "get", "/api/balance/transactions")
        #expect(
            parameter(document, ledger, "offset")?["schema"]?["maximum"]?.intValue == Int64(Bounds.maximumOffset),
            "the ledger is paged the same way")
        let unprocessable = list?["responses"]?["422"].map { resolve($0, in: document) }
        #expect(
            unprocessable?["content"]?["application/json"]?["schema"]?["$ref"]?.stringValue
                == "#/components/schemas/HTTPValidationError")
    }

    /// `POST /api/orders` (SPEC §3, §6): both conflicts are documented under its 409.
    @Test func orderCreationDocumentsBothConflicts() throws {
        let document = try document()
        let conflict = operation(document, "post", "/api/orders")?["responses"]?["409"].map { resolve($0, in: document) }
        let description = conflict?["description"]?.stringValue ?? ""
        #expect(description.contains("This contact already has an active order"))
        #expect(description.contains("Too many active orders"))
        #expect(
            conflict?["content"]?["application/json"]?["schema"]?["$ref"]?.stringValue
                == "#/components/schemas/ErrorDetail")
    }

    /// Every documented 405 carries the `Allow` header listing the route's methods.
    @Test func methodNotAllowedCarriesAllow() throws {
        let document = try document()
        var documented = 0
        for (method, path, operation) in operations(document) {
            guard let response = operation["responses"]?["405"] else { continue }
            documented += 1
            let allow = resolve(response, in: document)["headers"]?["Allow"].map { resolve($0, in: document) }
            #expect(allow?["required"] == .bool(true), "\(method) \(path): 405 must carry Allow")
            #expect(allow?["schema"]?["type"]?.stringValue == "string", "\(method) \(path)")
        }
        #expect(documented > 0)
    }
}
