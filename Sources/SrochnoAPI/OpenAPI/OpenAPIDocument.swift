/// The published OpenAPI 3.1 contract, served at `GET /api/openapi.json`: every route of
/// `API.routeList` with its parameters, bodies and every status it can answer (nginx's own 413,
/// 429 and 503 included). Edit the JSON by hand; `OpenAPIDocumentTests` checks that it covers
/// exactly the router's routes, openapi-spec-validator (scripts/lib/validate-openapi.sh) that it
/// is valid OpenAPI 3.1 (beside a `$ref` to a shared response only `summary` and `description`
/// may stand: a response with its own `links` is written out), and Schemathesis
/// (scripts/lib/schemathesis.sh) checks the running server against it.
enum OpenAPIDocument {
    static let json = ##"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "Srochno API",
        "version": "1.0.0",
        "summary": "Backend of the Srochno («Срочные услуги») Telegram Mini App marketplace.",
        "description": "A client posts an urgent order with a contact; an executor pays 2 ₽ from a prepaid balance to take it and see the contact (at most 3 executors per order). An order lives 60 minutes; if the client never responds within 15 minutes of the first take it closes by itself and every executor is refunded.\n\nAmounts are whole rubles. Timestamps are UTC, RFC 3339 with a `Z` suffix. Errors are `{\"detail\": \"<text>\"}`; request validation errors are 422 with FastAPI's shape `{\"detail\": [{\"loc\": [\"body\", \"description\"], \"msg\": \"…\", \"type\": \"…\"}]}`. Unknown JSON fields and query parameters are ignored. An unknown path is a 404 `{\"detail\":\"Not Found\"}`, a known path with another method a 405 `{\"detail\":\"Method Not Allowed\"}` whose `Allow` header lists the methods the path accepts. CORS preflight (`OPTIONS` from a configured origin) answers 204."
      },
      "servers": [{"url": "/"}],
      "security": [{"telegramInitData": []}],
      "tags": [
        {"name": "service", "description": "Health, cities and this document."},
        {"name": "users", "description": "The caller's profile and settings."},
        {"name": "balance", "description": "Prepaid balance and its ledger."},
        {"name": "orders", "description": "Orders and their lifecycle."},
        {"name": "reviews", "description": "Client reviews and executor complaints."}
      ],
      "paths": {
        "/health": {
          "get": {
            "operationId": "health",
            "tags": ["service"],
            "summary": "Health check",
            "description": "Whether the worker reaches the database. Not under `/api`.",
            "security": [],
            "responses": {
              "200": {
                "description": "`{\"status\":\"healthy\"}`: the database answers.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HealthStatus"}}}
              },
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        },
        "/api/openapi.json": {
          "get": {
            "operationId": "getOpenAPIDocument",
            "tags": ["service"],
            "summary": "This OpenAPI document",
            "security": [],
            "responses": {
              "200": {
                "description": "The OpenAPI 3.1 document.",
                "content": {
                  "application/json": {"schema": {"type": "object", "required": ["openapi", "info", "paths"]}}
                }
              },
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        },
        "/api/cities": {
          "get": {
            "operationId": "listCities",
            "tags": ["service"],
            "summary": "Known cities",
            "description": "The cities an order can name, in list order; `search` keeps those containing it, case-insensitively.",
            "security": [],
            "parameters": [
              {
                "name": "search",
                "in": "query",
                "required": false,
                "description": "Case-insensitive substring; all cities without it.",
                "schema": {"type": "string", "minLength": 1, "maxLength": 100}
              }
            ],
            "responses": {
              "200": {
                "description": "City names.",
                "content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}}
              },
              "422": {"$ref": "#/components/responses/ValidationFailed"},
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        },
        "/api/users/me": {
          "get": {
            "operationId": "getProfile",
            "tags": ["users"],
            "summary": "The caller's profile",
            "responses": {
              "200": {
                "description": "The profile, counters as of now.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UserProfile"}}}
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {
                "description": "`User not found`.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
              },
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        },
        "/api/users/me/preferences": {
          "get": {
            "operationId": "getPreferences",
            "tags": ["users"],
            "summary": "The caller's notification subscriptions",
            "responses": {
              "200": {
                "description": "Subscribed categories and cities (empty lists by default).",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Preferences"}}}
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          },
          "put": {
            "operationId": "updatePreferences",
            "tags": ["users"],
            "summary": "Replace the caller's subscriptions",
            "description": "Unknown categories or cities are a 422.",
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PreferencesUpdate"}}}
            },
            "responses": {
              "200": {"$ref": "#/components/responses/Success"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "422": {"$ref": "#/components/responses/ValidationFailed"},
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        },
        "/api/users/me/notification-settings": {
          "get": {
            "operationId": "getNotificationSettings",
            "tags": ["users"],
            "summary": "The caller's notification settings",
            "responses": {
              "200": {
                "description": "Settings (`enabled` false and `frequency` 10 by default).",
                "content": {
                  "application/json": {"schema": {"$ref": "#/components/schemas/NotificationSettings"}}
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          },
          "put": {
            "operationId": "updateNotificationSettings",
            "tags": ["users"],
            "summary": "Change the caller's notification settings",
            "requestBody": {
              "required": true,
              "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/NotificationSettingsUpdate"}}
              }
            },
            "responses": {
              "200": {"$ref": "#/components/responses/Success"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "422": {"$ref": "#/components/responses/ValidationFailed"},
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        },
        "/api/balance": {
          "get": {
            "operationId": "getBalance",
            "tags": ["balance"],
            "summary": "The caller's balance",
            "responses": {
              "200": {
                "description": "Balance in whole rubles.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Balance"}}}
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        },
        "/api/balance/recharge": {
          "post": {
            "operationId": "rechargeBalance",
            "tags": ["balance"],
            "summary": "Top up the balance directly (development only)",
            "description": "Credits the amount at once. Only when direct recharge is enabled in the configuration; otherwise 403 `Direct recharge is disabled` (checked before the body).",
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RechargeRequest"}}}
            },
            "responses": {
              "200": {
                "description": "Credited.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RechargeResult"}}}
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "`Direct recharge is disabled`.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
              },
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "422": {"$ref": "#/components/responses/ValidationFailed"},
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        },
        "/api/balance/transactions": {
          "get": {
            "operationId": "listTransactions",
            "tags": ["balance"],
            "summary": "The caller's balance ledger",
            "description": "Newest first.",
            "parameters": [
              {"$ref": "#/components/parameters/Limit"},
              {"$ref": "#/components/parameters/Offset"}
            ],
            "responses": {
              "200": {
                "description": "Ledger entries.",
                "content": {
                  "application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/BalanceTransaction"}}
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "422": {"$ref": "#/components/responses/ValidationFailed"},
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        },
        "/api/orders": {
          "get": {
            "operationId": "listOrders",
            "tags": ["orders"],
            "summary": "List orders",
            "description": "Newest first, filtered on the effective status; `contact` is always null. Without `mine` or `taken_by_me` only `active`, `expired` and `completed` can be listed (`deleted` or `closed_no_response` lists `active`); a `status` that is no status at all, or empty, is a 422 (FastAPI's `enum` error), and so is an `offset` above 10000. Authentication is optional, except with `mine` or `taken_by_me`; an invalid one counts as none.",
            "security": [{}, {"telegramInitData": []}],
            "parameters": [
              {
                "name": "category",
                "in": "query",
                "required": false,
                "description": "Only this category (an empty value: no filter; an unknown category matches nothing).",
                "schema": {"type": "string"}
              },
              {
                "name": "city",
                "in": "query",
                "required": false,
                "description": "Only this city (an empty value: no filter).",
                "schema": {"type": "string"}
              },
              {
                "name": "status",
                "in": "query",
                "required": false,
                "description": "Effective status to list: one of the five statuses; any other value, the empty one included, is a 422 with FastAPI's `enum` error (`loc: [\"query\", \"status\"]`).",
                "schema": {"$ref": "#/components/schemas/OrderStatus", "default": "active"}
              },
              {"$ref": "#/components/parameters/Limit"},
              {"$ref": "#/components/parameters/Offset"},
              {
                "name": "mine",
                "in": "query",
                "required": false,
                "description": "Only orders the caller created (any status). Needs authentication.",
                "schema": {"type": "boolean", "default": false}
              },
              {
                "name": "taken_by_me",
                "in": "query",
                "required": false,
                "description": "Only orders the caller took (any status). Needs authentication.",
                "schema": {"type": "boolean", "default": false}
              }
            ],
            "responses": {
              "200": {
                "description": "One page and the total.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OrderList"}}}
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "422": {"$ref": "#/components/responses/ValidationFailed"},
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          },
          "post": {
            "operationId": "createOrder",
            "tags": ["orders"],
            "summary": "Post an order",
            "description": "A contact may have one active order at a time (compared in normalised form), and a client at most 5 effectively active orders at once (configurable: `SROCHNO_MAX_ACTIVE_ORDERS`).",
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OrderCreate"}}}
            },
            "responses": {
              "201": {
                "description": "Created; the contact is visible to its author.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OrderResponse"}}},
                "links": {
                  "GetOrder": {
                    "operationId": "getOrder",
                    "parameters": {"id": "$response.body#/id"},
                    "description": "Read the order."
                  },
                  "UpdateOrder": {
                    "operationId": "updateOrder",
                    "parameters": {"id": "$response.body#/id"},
                    "description": "Edit the order (only before any take)."
                  },
                  "DeleteOrder": {
                    "operationId": "deleteOrder",
                    "parameters": {"id": "$response.body#/id"},
                    "description": "Delete the order (only before any take)."
                  },
                  "TakeOrder": {
                    "operationId": "takeOrder",
                    "parameters": {"id": "$response.body#/id"},
                    "description": "Another user takes the order."
                  },
                  "RespondToOrder": {
                    "operationId": "respondToOrder",
                    "parameters": {"id": "$response.body#/id"},
                    "description": "The client responds to a take."
                  },
                  "CloseOrder": {
                    "operationId": "closeOrder",
                    "parameters": {"id": "$response.body#/id"},
                    "description": "The client closes the order."
                  },
                  "CompleteOrder": {
                    "operationId": "completeOrder",
                    "parameters": {"id": "$response.body#/id"},
                    "description": "The client completes the order."
                  },
                  "CheckReview": {
                    "operationId": "checkReview",
                    "parameters": {"order_id": "$response.body#/id"},
                    "description": "Whether the caller reviewed or complained about the order."
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "409": {
                "description": "`This contact already has an active order` (the normalised contact is in another effectively active order), or `Too many active orders` (the caller already has 5 effectively active orders; configurable).",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
              },
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "422": {"$ref": "#/components/responses/ValidationFailed"},
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        },
        "/api/orders/{id}": {
          "get": {
            "operationId": "getOrder",
            "tags": ["orders"],
            "summary": "Read one order",
            "description": "Authentication is optional; the contact is shown only to the order's client and executors who took it.",
            "security": [{}, {"telegramInitData": []}],
            "parameters": [{"$ref": "#/components/parameters/OrderId"}],
            "responses": {
              "200": {"$ref": "#/components/responses/Order"},
              "404": {"$ref": "#/components/responses/OrderNotFound"},
              "405": {"$ref": "#/components/responses/MethodNotAllowed"},
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          },
          "put": {
            "operationId": "updateOrder",
            "tags": ["orders"],
            "summary": "Edit an order",
            "description": "Only the order's client, while it is effectively active and nobody took it. The body is validated first.",
            "parameters": [{"$ref": "#/components/parameters/OrderId"}],
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OrderUpdate"}}}
            },
            "responses": {
              "200": {"$ref": "#/components/responses/Order"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "`Cannot edit order after executor has taken it`.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
              },
              "404": {"$ref": "#/components/responses/OrderNotFound"},
              "405": {"$ref": "#/components/responses/MethodNotAllowed"},
              "409": {"$ref": "#/components/responses/ContactTaken"},
              "410": {"$ref": "#/components/responses/OrderGone"},
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "422": {"$ref": "#/components/responses/ValidationFailed"},
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          },
          "delete": {
            "operationId": "deleteOrder",
            "tags": ["orders"],
            "summary": "Delete an order",
            "description": "Only the order's client, while nobody took it. Deleting a deleted order again is a 204.",
            "parameters": [{"$ref": "#/components/parameters/OrderId"}],
            "responses": {
              "204": {"description": "Done; no body."},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {
                "description": "`Cannot delete order after executor has taken it`.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
              },
              "404": {"$ref": "#/components/responses/OrderNotFound"},
              "405": {"$ref": "#/components/responses/MethodNotAllowed"},
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        },
        "/api/orders/{id}/take": {
          "post": {
            "operationId": "takeOrder",
            "tags": ["orders"],
            "summary": "Take an order (pay to see the contact)",
            "description": "Debits the take cost (2 ₽) and records the take in one transaction. Taking an order again is free and answers the same body.",
            "parameters": [{"$ref": "#/components/parameters/OrderId"}],
            "responses": {
              "200": {
                "description": "Taken (or already taken by the caller).",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TakeResult"}}},
                "links": {
                  "GetOrder": {
                    "operationId": "getOrder",
                    "parameters": {"id": "$request.path.id"},
                    "description": "Read the order, contact included."
                  },
                  "RespondToOrder": {
                    "operationId": "respondToOrder",
                    "parameters": {"id": "$request.path.id"},
                    "description": "The client responds to the take."
                  },
                  "CompleteOrder": {
                    "operationId": "completeOrder",
                    "parameters": {"id": "$request.path.id"},
                    "description": "The client completes the order."
                  },
                  "CreateExecutorComplaint": {
                    "operationId": "createExecutorComplaint",
                    "requestBody": {"order_id": "$request.path.id"},
                    "description": "The executor complains about the order's client."
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "402": {
                "description": "`Insufficient balance. Need 2₽`.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
              },
              "403": {
                "description": "`Cannot take your own order`.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
              },
              "404": {"$ref": "#/components/responses/OrderNotFound"},
              "405": {"$ref": "#/components/responses/MethodNotAllowed"},
              "409": {
                "description": "`Maximum 3 executors reached`.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
              },
              "410": {"$ref": "#/components/responses/OrderGone"},
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        },
        "/api/orders/{id}/respond": {
          "post": {
            "operationId": "respondToOrder",
            "tags": ["orders"],
            "summary": "Respond to a take (stops the no-response clock)",
            "description": "Only for the order's client, on an effectively active order that has a take. Errors: 404 unknown order (or a deleted one that is not the caller's); 403 `Only the order's client can do this`; 410 not effectively active; 409 `No executor has taken this order yet`; 409 `Already responded`.",
            "parameters": [{"$ref": "#/components/parameters/OrderId"}],
            "responses": {
              "200": {
                "description": "The order as it stands now, `customer_responded_at` set.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OrderResponse"}}},
                "links": {
                  "CompleteOrder": {
                    "operationId": "completeOrder",
                    "parameters": {"id": "$request.path.id"},
                    "description": "The client completes the order."
                  },
                  "CloseOrder": {
                    "operationId": "closeOrder",
                    "parameters": {"id": "$request.path.id"},
                    "description": "The client closes the order."
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/NotTheClient"},
              "404": {"$ref": "#/components/responses/OrderNotFound"},
              "405": {"$ref": "#/components/responses/MethodNotAllowed"},
              "409": {
                "description": "`No executor has taken this order yet` or `Already responded`.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
              },
              "410": {"$ref": "#/components/responses/OrderGone"},
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        },
        "/api/orders/{id}/close": {
          "post": {
            "operationId": "closeOrder",
            "tags": ["orders"],
            "summary": "Close an order (no refunds)",
            "description": "Only for the order's client, on an effectively active order that has a take. Errors: 404 unknown order (or a deleted one that is not the caller's); 403 `Only the order's client can do this`; 410 not effectively active; 409 `No executor has taken this order yet`.",
            "parameters": [{"$ref": "#/components/parameters/OrderId"}],
            "responses": {
              "204": {"description": "Done; no body."},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/NotTheClient"},
              "404": {"$ref": "#/components/responses/OrderNotFound"},
              "405": {"$ref": "#/components/responses/MethodNotAllowed"},
              "409": {"$ref": "#/components/responses/NoTakeYet"},
              "410": {"$ref": "#/components/responses/OrderGone"},
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        },
        "/api/orders/{id}/complete": {
          "post": {
            "operationId": "completeOrder",
            "tags": ["orders"],
            "summary": "Complete an order",
            "description": "Only for the order's client, on an effectively active order that has a take. Errors: 404 unknown order (or a deleted one that is not the caller's); 403 `Only the order's client can do this`; 410 not effectively active; 409 `No executor has taken this order yet`.",
            "parameters": [{"$ref": "#/components/parameters/OrderId"}],
            "responses": {
              "200": {
                "description": "The order, now `completed`.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OrderResponse"}}},
                "links": {
                  "CreateClientReview": {
                    "operationId": "createClientReview",
                    "requestBody": {
                      "order_id": "$response.body#/id",
                      "executor_id": "$response.body#/taken_by/0/executor_id"
                    },
                    "description": "The client reviews the first executor."
                  },
                  "CheckReview": {
                    "operationId": "checkReview",
                    "parameters": {"order_id": "$response.body#/id"},
                    "description": "Whether the caller reviewed the order."
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "403": {"$ref": "#/components/responses/NotTheClient"},
              "404": {"$ref": "#/components/responses/OrderNotFound"},
              "405": {"$ref": "#/components/responses/MethodNotAllowed"},
              "409": {"$ref": "#/components/responses/NoTakeYet"},
              "410": {"$ref": "#/components/responses/OrderGone"},
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        },
        "/api/reviews": {
          "get": {
            "operationId": "listReviews",
            "tags": ["reviews"],
            "summary": "List client reviews",
            "description": "Newest first. `mine`: reviews about the caller as executor; `about_me`: reviews the caller wrote (the names are the Mini App's). Authentication is optional, except with `mine` or `about_me`.",
            "security": [{}, {"telegramInitData": []}],
            "parameters": [
              {
                "name": "rating",
                "in": "query",
                "required": false,
                "description": "Only reviews with this rating.",
                "schema": {"type": "integer", "minimum": 1, "maximum": 5}
              },
              {"$ref": "#/components/parameters/Limit"},
              {
                "name": "mine",
                "in": "query",
                "required": false,
                "description": "Reviews about the caller as executor. Needs authentication.",
                "schema": {"type": "boolean", "default": false}
              },
              {
                "name": "about_me",
                "in": "query",
                "required": false,
                "description": "Reviews the caller wrote as client. Needs authentication.",
                "schema": {"type": "boolean", "default": false}
              }
            ],
            "responses": {
              "200": {
                "description": "Reviews; `contact` is always null.",
                "content": {
                  "application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Review"}}
                  }
                }
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "422": {"$ref": "#/components/responses/ValidationFailed"},
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        },
        "/api/reviews/check": {
          "get": {
            "operationId": "checkReview",
            "tags": ["reviews"],
            "summary": "Whether the caller reviewed or complained about an order",
            "parameters": [
              {
                "name": "order_id",
                "in": "query",
                "required": true,
                "description": "The order.",
                "schema": {"type": "string"}
              }
            ],
            "responses": {
              "200": {
                "description": "`type` is `review` (the caller reviewed it as client), `complaint` (complained as executor) or null.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ReviewCheck"}}}
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "422": {"$ref": "#/components/responses/ValidationFailed"},
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        },
        "/api/reviews/client": {
          "post": {
            "operationId": "createClientReview",
            "tags": ["reviews"],
            "summary": "The client rates an executor of a finished order",
            "description": "Only for an effectively `completed` or `expired` order of the caller, about an executor who took it; one review per order and executor.",
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ClientReviewCreate"}}}
            },
            "responses": {
              "200": {
                "description": "Saved.",
                "content": {
                  "application/json": {"schema": {"$ref": "#/components/schemas/ClientReviewCreated"}}
                }
              },
              "400": {
                "description": "`Only completed or expired orders can be reviewed`, `No executor has taken this order`, `This executor did not take this order`.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {
                "description": "`Order not found or you are not the client`.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
              },
              "409": {
                "description": "`Review already submitted`.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
              },
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "422": {"$ref": "#/components/responses/ValidationFailed"},
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        },
        "/api/reviews/executor": {
          "post": {
            "operationId": "createExecutorComplaint",
            "tags": ["reviews"],
            "summary": "An executor complains about an order's client",
            "description": "Only for an order the caller took; one complaint per order and executor.",
            "requestBody": {
              "required": true,
              "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ComplaintCreate"}}}
            },
            "responses": {
              "200": {
                "description": "Saved.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ComplaintCreated"}}}
              },
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {
                "description": "`You did not take this order`.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
              },
              "409": {
                "description": "`Complaint already submitted`.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
              },
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "422": {"$ref": "#/components/responses/ValidationFailed"},
              "429": {"$ref": "#/components/responses/TooManyRequests"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        }
      },
      "components": {
        "securitySchemes": {
          "telegramInitData": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "Telegram initData",
            "description": "Telegram Mini App initData as the bearer token: the raw query string Telegram gives the Mini App (`query_id=…&user=%7B…%7D&auth_date=…&hash=…`, possibly with `signature=…`), sent as `Authorization: Bearer <initData>`. It is verified with the bot token (HMAC) or Telegram's Ed25519 third-party signature, and refused when `auth_date` is older than the configured maximum age (24 h by default) or more than a minute in the future."
          }
        },
        "parameters": {
          "OrderId": {
            "name": "id",
            "in": "path",
            "required": true,
            "description": "Order id: 12 URL-safe characters. Any other value is answered with 404.",
            "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{12}$", "examples": ["Xy3_kP9-aB0q"]}
          },
          "Limit": {
            "name": "limit",
            "in": "query",
            "required": false,
            "description": "Page size.",
            "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 50}
          },
          "Offset": {
            "name": "offset",
            "in": "query",
            "required": false,
            "description": "Number of items to skip, at most 10000 (above is a 422): no page costs more the longer the history grows.",
            "schema": {"type": "integer", "minimum": 0, "maximum": 10000, "default": 0}
          }
        },
        "headers": {
          "Allow": {
            "description": "On a 405: the methods the route named by the path accepts, comma-separated (RFC 9110 §10.2.1).",
            "required": true,
            "schema": {"type": "string", "pattern": "^[A-Z]+([ \\t]*,[ \\t]*[A-Z]+)*$", "examples": ["GET, HEAD, PUT, DELETE"]}
          },
          "WWW-Authenticate": {
            "description": "Always `Bearer` on a 401.",
            "required": true,
            "schema": {"type": "string", "const": "Bearer"}
          }
        },
        "responses": {
          "ContactTaken": {
            "description": "`This contact already has an active order`.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
          },
          "NotTheClient": {
            "description": "`Only the order's client can do this`.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
          },
          "NoTakeYet": {
            "description": "`No executor has taken this order yet`.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
          },
          "Unauthorized": {
            "description": "Missing (`Not authenticated`) or invalid (`Invalid Telegram initData: <reason>`) credentials.",
            "headers": {"WWW-Authenticate": {"$ref": "#/components/headers/WWW-Authenticate"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
          },
          "ValidationFailed": {
            "description": "Request validation failed (FastAPI's shape): a bad query parameter (`loc: [\"query\", name]`), a body that is not a JSON object or not valid JSON or UTF-8 (`loc: [\"body\", …]`), or a field that breaks its constraints (`loc: [\"body\", field]`, list items as `[\"body\", field, index]`; a string containing U+0000 is refused too). Every problem of the request is listed.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}}
          },
          "NotFound": {
            "description": "No such resource (`Not Found` when no route matches the path).",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
          },
          "OrderNotFound": {
            "description": "`Order not found`: no order with this id, a malformed id, a deleted order seen by anyone but its client, or (for writes) an order that is not the caller's. `Not Found` when the percent-decoded path matches no route (an id containing `%2F`).",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
          },
          "MethodNotAllowed": {
            "description": "`Method Not Allowed`: the path (after percent-decoding, e.g. an id containing `%2F`) names a route that does not accept this method. `Allow` lists the methods that route accepts, which for a decoded `%2F` are another path's.",
            "headers": {"Allow": {"$ref": "#/components/headers/Allow"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
          },
          "OrderGone": {
            "description": "The order is not effectively active: `Order has expired`, or `Order is no longer active` (deleted, closed, completed).",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
          },
          "PayloadTooLarge": {
            "description": "`Request body too large`: the body is over 64 KiB (answered by nginx).",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
          },
          "TooManyRequests": {
            "description": "`Too many requests`: the client address is over the rate limit (answered by nginx).",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
          },
          "Unavailable": {
            "description": "`Service temporarily unavailable`: the database or the worker pool cannot serve the request now; retry later.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorDetail"}}}
          },
          "Success": {
            "description": "Saved.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Success"}}}
          },
          "Order": {
            "description": "The order as it stands now.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OrderResponse"}}}
          }
        },
        "schemas": {
          "ErrorDetail": {
            "type": "object",
            "description": "Every error except request validation.",
            "required": ["detail"],
            "properties": {"detail": {"type": "string"}}
          },
          "ValidationError": {
            "type": "object",
            "required": ["loc", "msg", "type"],
            "properties": {
              "loc": {
                "type": "array",
                "description": "Where the problem is: `query` or `body`, then the parameter or field name, then list indices (integers).",
                "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}
              },
              "msg": {
                "type": "string",
                "description": "Pydantic's message, e.g. `Field required`, `String should have at least 20 characters`."
              },
              "type": {
                "type": "string",
                "description": "Pydantic's error type, e.g. `missing`, `string_too_short`, `int_parsing`, `value_error`, `json_invalid`."
              }
            }
          },
          "HTTPValidationError": {
            "type": "object",
            "required": ["detail"],
            "properties": {
              "detail": {
                "type": "array",
                "minItems": 1,
                "items": {"$ref": "#/components/schemas/ValidationError"}
              }
            }
          },
          "Success": {
            "type": "object",
            "required": ["success"],
            "properties": {"success": {"type": "boolean", "const": true}}
          },
          "HealthStatus": {
            "type": "object",
            "required": ["status"],
            "properties": {"status": {"type": "string", "enum": ["healthy", "unhealthy"]}}
          },
          "Category": {
            "type": "string",
            "description": "Order category, exactly one of these strings.",
            "enum": [
              "Сантехника",
              "Электрика",
              "Бытовой ремонт",
              "Клининг",
              "Сборка/установка",
              "Бытовая техника",
              "Другое"
            ]
          },
          "ComplaintReason": {
            "type": "string",
            "description": "Reason of an executor's complaint, exactly one of these strings.",
            "enum": ["Не отвечал", "Отменил заказ", "Неадекватное поведение", "Ложная информация", "Другое"]
          },
          "OrderStatus": {
            "type": "string",
            "description": "Effective status: an order stored as active reads as `expired` once its lifetime is over, or `closed_no_response` once 15 minutes passed after its first take without a response from the client, whichever came first.",
            "enum": ["active", "expired", "deleted", "closed_no_response", "completed"]
          },
          "Take": {
            "type": "object",
            "required": ["executor_id", "taken_at"],
            "properties": {
              "executor_id": {"type": "integer", "format": "int64", "minimum": 1},
              "taken_at": {"type": "string", "format": "date-time"}
            }
          },
          "OrderResponse": {
            "type": "object",
            "required": [
              "id",
              "category",
              "description",
              "city",
              "contact",
              "created_at",
              "expires_in_minutes",
              "status",
              "taken_by",
              "customer_responded_at",
              "city_locked",
              "rating",
              "review_comment"
            ],
            "properties": {
              "id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{12}$"},
              "category": {"$ref": "#/components/schemas/Category"},
              "description": {"type": "string", "minLength": 20, "maxLength": 1000},
              "city": {"type": "string"},
              "contact": {
                "type": ["string", "null"],
                "pattern": "^(\\+7[0-9]{10}|@[A-Za-z0-9_]{5,32})$",
                "description": "Normalised contact (`+7XXXXXXXXXX` or `@username`); shown only to the order's client and to executors who took it, and never in lists."
              },
              "created_at": {"type": "string", "format": "date-time"},
              "expires_in_minutes": {
                "type": "integer",
                "minimum": 1,
                "description": "The order's lifetime (60 by default)."
              },
              "status": {"$ref": "#/components/schemas/OrderStatus"},
              "taken_by": {
                "type": "array",
                "description": "Executors who took the order, oldest first.",
                "items": {"$ref": "#/components/schemas/Take"}
              },
              "customer_responded_at": {"type": ["string", "null"], "format": "date-time"},
              "city_locked": {"type": "boolean", "const": true},
              "rating": {
                "type": ["integer", "null"],
                "minimum": 1,
                "maximum": 5,
                "description": "The first client review's rating, if any."
              },
              "review_comment": {"type": ["string", "null"], "maxLength": 500}
            }
          },
          "OrderList": {
            "type": "object",
            "required": ["orders", "total"],
            "properties": {
              "orders": {
                "type": "array",
                "description": "Newest first; `contact` is always null.",
                "items": {"$ref": "#/components/schemas/OrderResponse"}
              },
              "total": {
                "type": "integer",
                "minimum": 0,
                "description": "Number of matching orders, over all pages."
              }
            }
          },
          "OrderCreate": {
            "type": "object",
            "required": ["category", "description", "city", "contact"],
            "properties": {
              "category": {"$ref": "#/components/schemas/Category"},
              "description": {
                "type": "string",
                "minLength": 20,
                "maxLength": 1000,
                "examples": ["Течёт кран на кухне, нужен сантехник сегодня"]
              },
              "city": {
                "type": "string",
                "description": "A known city (see `GET /api/cities`); another value is a 422.",
                "examples": ["Москва"]
              },
              "contact": {"$ref": "#/components/schemas/ContactInput"}
            }
          },
          "ContactInput": {
            "type": "string",
            "description": "A Telegram username `@name` (5–32 of `A–Z a–z 0–9 _`) or a Russian phone number written in any common way (`+7 999 123-45-67`, `8 (999) 1234567`, `+79991234567`), stored as `+7XXXXXXXXXX`. The digit after the country code is 3, 4, 8 or 9. Anything else is a 422.",
            "pattern": "^[\\t\\n\\v\\f\\r ]*(@[A-Za-z0-9_]{5,32}|(\\+[ ().-]*7|[ ().-]*[78])[ ().-]*[3489]([ ().-]*[0-9]){9}[ ().-]*)[\\t\\n\\v\\f\\r ]*$",
            "examples": ["+7 999 123-45-67", "@srochno_client"]
          },
          "OrderUpdate": {
            "type": "object",
            "description": "Fields to change; an absent or null field keeps its value. The city can never change: a `city` different from the stored one is a 422.",
            "properties": {
              "category": {"anyOf": [{"$ref": "#/components/schemas/Category"}, {"type": "null"}]},
              "description": {"type": ["string", "null"], "minLength": 20, "maxLength": 1000},
              "contact": {"anyOf": [{"$ref": "#/components/schemas/ContactInput"}, {"type": "null"}]},
              "city": {
                "type": ["string", "null"],
                "description": "Accepted only when equal to the order's city."
              }
            }
          },
          "TakeResult": {
            "type": "object",
            "required": ["success", "contact", "executor_count", "new_balance"],
            "properties": {
              "success": {"type": "boolean", "const": true},
              "contact": {"type": "string", "pattern": "^(\\+7[0-9]{10}|@[A-Za-z0-9_]{5,32})$"},
              "executor_count": {"type": "integer", "minimum": 1},
              "new_balance": {"type": "integer", "minimum": 0}
            }
          },
          "UserProfile": {
            "type": "object",
            "required": [
              "id",
              "first_name",
              "last_name",
              "username",
              "completed_orders",
              "active_orders",
              "rating",
              "balance"
            ],
            "properties": {
              "id": {"type": "integer", "format": "int64", "minimum": 1, "description": "Telegram user id."},
              "first_name": {"type": ["string", "null"]},
              "last_name": {"type": ["string", "null"]},
              "username": {"type": ["string", "null"]},
              "completed_orders": {
                "type": "integer",
                "minimum": 0,
                "description": "Orders the user created or took that are completed."
              },
              "active_orders": {
                "type": "integer",
                "minimum": 0,
                "description": "Orders the user created or took that are effectively active."
              },
              "rating": {
                "type": "number",
                "minimum": 0,
                "maximum": 5,
                "description": "Mean rating of the client reviews about the user as executor; 0 when none."
              },
              "balance": {"type": "integer", "minimum": 0, "description": "Whole rubles."}
            }
          },
          "Preferences": {
            "type": "object",
            "required": ["categories", "cities"],
            "properties": {
              "categories": {
                "type": "array",
                "maxItems": 10,
                "items": {"$ref": "#/components/schemas/Category"}
              },
              "cities": {"type": "array", "maxItems": 20, "items": {"type": "string"}}
            }
          },
          "PreferencesUpdate": {
            "type": "object",
            "description": "An absent or null list keeps its value; duplicates are dropped.",
            "properties": {
              "categories": {
                "type": ["array", "null"],
                "maxItems": 10,
                "items": {"$ref": "#/components/schemas/Category"}
              },
              "cities": {
                "type": ["array", "null"],
                "maxItems": 20,
                "items": {"type": "string", "description": "A known city."}
              }
            }
          },
          "NotificationSettings": {
            "type": "object",
            "required": ["enabled", "frequency"],
            "properties": {
              "enabled": {"type": "boolean", "default": false},
              "frequency": {
                "type": "integer",
                "minimum": 5,
                "maximum": 15,
                "default": 10,
                "description": "Minutes between two notifications at most."
              }
            }
          },
          "NotificationSettingsUpdate": {
            "type": "object",
            "description": "An absent or null field keeps its value.",
            "properties": {
              "enabled": {"type": ["boolean", "null"]},
              "frequency": {"type": ["integer", "null"], "minimum": 5, "maximum": 15}
            }
          },
          "Balance": {
            "type": "object",
            "required": ["balance"],
            "properties": {"balance": {"type": "integer", "minimum": 0, "description": "Whole rubles."}}
          },
          "RechargeRequest": {
            "type": "object",
            "required": ["amount"],
            "properties": {
              "amount": {"type": "integer", "minimum": 1, "maximum": 100000, "description": "Whole rubles."},
              "method": {"type": ["string", "null"], "maxLength": 100}
            }
          },
          "RechargeResult": {
            "type": "object",
            "required": ["success", "new_balance", "transaction_id"],
            "properties": {
              "success": {"type": "boolean", "const": true},
              "new_balance": {"type": "integer", "minimum": 0},
              "transaction_id": {"type": "integer", "format": "int64", "minimum": 1}
            }
          },
          "BalanceTransaction": {
            "type": "object",
            "required": ["id", "type", "amount", "balance_after", "order_id", "description", "created_at"],
            "properties": {
              "id": {"type": "integer", "format": "int64", "minimum": 1},
              "type": {"type": "string", "enum": ["recharge", "order_take", "refund"]},
              "amount": {
                "type": "integer",
                "description": "Whole rubles: positive for recharge and refund, negative for order_take."
              },
              "balance_after": {"type": "integer", "minimum": 0},
              "order_id": {
                "type": ["string", "null"],
                "description": "The order of a take or refund; null for a recharge."
              },
              "description": {"type": "string"},
              "created_at": {"type": "string", "format": "date-time"}
            }
          },
          "ReviewCheck": {
            "type": "object",
            "required": ["submitted", "type"],
            "properties": {
              "submitted": {"type": "boolean"},
              "type": {"type": ["string", "null"], "enum": ["review", "complaint", null]}
            }
          },
          "ClientReviewCreate": {
            "type": "object",
            "required": ["order_id", "rating"],
            "properties": {
              "order_id": {"type": "string", "examples": ["Xy3_kP9-aB0q"]},
              "executor_id": {
                "type": ["integer", "null"],
                "format": "int64",
                "minimum": 1,
                "description": "The executor reviewed; absent or null means the order's first taker."
              },
              "rating": {"type": "integer", "minimum": 1, "maximum": 5},
              "comment": {"type": ["string", "null"], "maxLength": 500}
            }
          },
          "ClientReviewCreated": {
            "type": "object",
            "required": ["success", "review_id"],
            "properties": {
              "success": {"type": "boolean", "const": true},
              "review_id": {"type": "integer", "format": "int64", "minimum": 1}
            }
          },
          "ComplaintCreate": {
            "type": "object",
            "required": ["order_id", "complaint"],
            "properties": {
              "order_id": {"type": "string", "examples": ["Xy3_kP9-aB0q"]},
              "complaint": {"$ref": "#/components/schemas/ComplaintReason"},
              "comment": {"type": ["string", "null"], "maxLength": 500}
            }
          },
          "ComplaintCreated": {
            "type": "object",
            "required": ["success", "complaint_id"],
            "properties": {
              "success": {"type": "boolean", "const": true},
              "complaint_id": {"type": "integer", "format": "int64", "minimum": 1}
            }
          },
          "Review": {
            "type": "object",
            "required": [
              "id",
              "author_name",
              "rating",
              "comment",
              "category",
              "created_at",
              "order_id",
              "description",
              "city",
              "contact"
            ],
            "properties": {
              "id": {"type": "integer", "format": "int64", "minimum": 1},
              "author_name": {
                "type": ["string", "null"],
                "description": "First name of the review's author (the order's client)."
              },
              "rating": {"type": "integer", "minimum": 1, "maximum": 5},
              "comment": {"type": ["string", "null"], "maxLength": 500},
              "category": {"$ref": "#/components/schemas/Category"},
              "created_at": {"type": "string", "format": "date-time"},
              "order_id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{12}$"},
              "description": {"type": "string"},
              "city": {"type": "string"},
              "contact": {"type": "null", "description": "Never shown in reviews."}
            }
          }
        }
      }
    }
    """##

    static let bytes: [UInt8] = Array(json.utf8)
}
