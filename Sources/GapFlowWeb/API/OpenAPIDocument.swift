/// The OpenAPI 3 description of the JSON API, served at `/api/openapi.json`. A test checks it against the router
/// (every route is described, nothing else is), and schemathesis checks the answers against it.
enum OpenAPIDocument {
    static let text = """
        {
          "openapi": "3.0.3",
          "info": {
            "title": "GapFlow API",
            "version": "1",
            "description": "Reads and writes of gap tickets as the web pages do them, acting as the logged-in actor. Log in with a session cookie (POSTs then carry the session's X-CSRF-Token) or send Authorization: Bearer TOKEN (gapflow actor token NAME). Tickets the actor may not read answer 404."
          },
          "servers": [{"url": "/"}],
          "security": [{"bearer": []}, {"session": []}],
          "paths": {
            "/api/queue": {
              "get": {
                "summary": "What waits for the actor: overdue first, then by deadline, then by waiting time",
                "operationId": "queue",
                "responses": {
                  "200": {"description": "the queue", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/QueueEntry"}}}}},
                  "400": {"$ref": "#/components/responses/Error"},
                  "401": {"$ref": "#/components/responses/Error"},
                  "503": {"$ref": "#/components/responses/Error"}
                }
              }
            },
            "/api/tickets": {
              "get": {
                "summary": "The tickets the actor may read, oldest first",
                "operationId": "listTickets",
                "parameters": [
                  {"name": "state", "in": "query", "schema": {"type": "string"}},
                  {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}},
                  {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}}
                ],
                "responses": {
                  "200": {"description": "a page of tickets", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TicketPage"}}}},
                  "400": {"$ref": "#/components/responses/Error"},
                  "400": {"$ref": "#/components/responses/Error"},
                  "401": {"$ref": "#/components/responses/Error"},
                  "503": {"$ref": "#/components/responses/Error"}
                }
              }
            },
            "/api/tickets/{id}": {
              "get": {
                "summary": "One ticket with its pending timers",
                "operationId": "getTicket",
                "parameters": [{"$ref": "#/components/parameters/TicketID"}],
                "responses": {
                  "200": {"description": "the ticket", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Ticket"}}}},
                  "400": {"$ref": "#/components/responses/Error"},
                  "401": {"$ref": "#/components/responses/Error"},
                  "404": {"$ref": "#/components/responses/Error"},
                  "503": {"$ref": "#/components/responses/Error"}
                }
              }
            },
            "/api/tickets/{id}/history": {
              "get": {
                "summary": "The ticket's history, oldest first",
                "operationId": "getHistory",
                "parameters": [{"$ref": "#/components/parameters/TicketID"}],
                "responses": {
                  "200": {"description": "the history", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/HistoryEntry"}}}}},
                  "400": {"$ref": "#/components/responses/Error"},
                  "401": {"$ref": "#/components/responses/Error"},
                  "404": {"$ref": "#/components/responses/Error"},
                  "503": {"$ref": "#/components/responses/Error"}
                }
              }
            },
            "/api/tickets/{id}/events": {
              "get": {
                "summary": "The events the actor may fire now, with what each still needs",
                "operationId": "getEvents",
                "parameters": [{"$ref": "#/components/parameters/TicketID"}],
                "responses": {
                  "200": {"description": "the events", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/EventOption"}}}}},
                  "400": {"$ref": "#/components/responses/Error"},
                  "401": {"$ref": "#/components/responses/Error"},
                  "404": {"$ref": "#/components/responses/Error"},
                  "503": {"$ref": "#/components/responses/Error"}
                }
              }
            },
            "/api/tickets/{id}/events/{event}": {
              "post": {
                "summary": "Fire an event; refused unless the ticket is still at the given revision",
                "operationId": "fireEvent",
                "parameters": [
                  {"$ref": "#/components/parameters/TicketID"},
                  {"name": "event", "in": "path", "required": true, "schema": {"type": "string"}, "example": "forward"}
                ],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FireBody"}}}},
                "responses": {
                  "200": {"description": "the ticket after the event", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Ticket"}}}},
                  "400": {"$ref": "#/components/responses/Error"},
                  "401": {"$ref": "#/components/responses/Error"},
                  "403": {"$ref": "#/components/responses/Error"},
                  "404": {"$ref": "#/components/responses/Error"},
                  "409": {"$ref": "#/components/responses/Error"},
                  "415": {"$ref": "#/components/responses/Error"},
                  "422": {"$ref": "#/components/responses/Error"},
                  "503": {"$ref": "#/components/responses/Error"}
                }
              }
            },
            "/api/workflows/{workflow}/tickets": {
              "post": {
                "summary": "Open a ticket in the newest version of a workflow",
                "operationId": "openTicket",
                "parameters": [{"name": "workflow", "in": "path", "required": true, "schema": {"type": "string"}, "example": "systemic-gap-escalation"}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OpenBody"}}}},
                "responses": {
                  "201": {"description": "the new ticket", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Ticket"}}}},
                  "400": {"$ref": "#/components/responses/Error"},
                  "401": {"$ref": "#/components/responses/Error"},
                  "403": {"$ref": "#/components/responses/Error"},
                  "404": {"$ref": "#/components/responses/Error"},
                  "415": {"$ref": "#/components/responses/Error"},
                  "422": {"$ref": "#/components/responses/Error"},
                  "503": {"$ref": "#/components/responses/Error"}
                }
              }
            }
          },
          "components": {
            "securitySchemes": {
              "bearer": {"type": "http", "scheme": "bearer"},
              "session": {"type": "apiKey", "in": "cookie", "name": "gapflow_session"}
            },
            "parameters": {
              "TicketID": {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}, "example": "GAP-2026-0001"}
            },
            "responses": {
              "Error": {"description": "refused; nothing was changed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            },
            "schemas": {
              "FieldValue": {"description": "text, a whole number, an ISO 8601 date, a value id, or an array of value ids", "nullable": true},
              "Ticket": {
                "type": "object",
                "required": ["id", "workflow", "version", "state", "stateTitle", "final", "revision", "openedAt", "openedBy", "updatedAt", "fields"],
                "properties": {
                  "id": {"type": "string"}, "workflow": {"type": "string"}, "version": {"type": "integer"},
                  "state": {"type": "string"}, "stateTitle": {"type": "string"}, "owner": {"type": "string", "nullable": true}, "final": {"type": "boolean"},
                  "revision": {"type": "integer"}, "openedAt": {"type": "string", "format": "date-time"}, "openedBy": {"type": "string"},
                  "updatedAt": {"type": "string", "format": "date-time"},
                  "fields": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/FieldValue"}},
                  "pendingTimers": {"type": "array", "items": {"type": "object", "required": ["timer", "dueAt"],
                    "properties": {"timer": {"type": "string"}, "dueAt": {"type": "string", "format": "date-time"}}}}
                }
              },
              "TicketPage": {
                "type": "object", "required": ["total", "offset", "tickets"],
                "properties": {"total": {"type": "integer"}, "offset": {"type": "integer"}, "tickets": {"type": "array", "items": {"$ref": "#/components/schemas/Ticket"}}}
              },
              "QueueEntry": {
                "type": "object", "required": ["ticket", "overdue", "nextDeadline", "entered", "events"],
                "properties": {
                  "ticket": {"$ref": "#/components/schemas/Ticket"}, "overdue": {"type": "boolean"},
                  "nextDeadline": {"type": "string", "format": "date-time", "nullable": true},
                  "entered": {"type": "string", "format": "date-time"}, "events": {"type": "array", "items": {"type": "string"}}
                }
              },
              "HistoryEntry": {
                "type": "object", "required": ["revision", "at", "actor", "role", "event", "to", "changes"],
                "properties": {
                  "revision": {"type": "integer"}, "at": {"type": "string", "format": "date-time"}, "actor": {"type": "string"},
                  "account": {"type": "string", "nullable": true}, "role": {"type": "string"}, "event": {"type": "string"},
                  "from": {"type": "string", "nullable": true}, "to": {"type": "string"},
                  "changes": {"type": "array", "items": {"type": "object", "required": ["field"], "properties": {
                    "field": {"type": "string"}, "old": {"$ref": "#/components/schemas/FieldValue"}, "new": {"$ref": "#/components/schemas/FieldValue"}}}},
                  "comment": {"type": "string", "nullable": true},
                  "decision": {"type": "object", "nullable": true}
                }
              },
              "EventOption": {
                "type": "object", "required": ["event", "title", "to", "ready", "needs", "blockers"],
                "properties": {
                  "event": {"type": "string"}, "title": {"type": "string"}, "to": {"type": "string"}, "ready": {"type": "boolean"},
                  "needs": {"type": "array", "items": {"type": "string"}}, "blockers": {"type": "array", "items": {"type": "string"}}
                }
              },
              "FireBody": {
                "type": "object", "required": ["revision"], "additionalProperties": false,
                "properties": {
                  "revision": {"type": "integer", "description": "the revision you last read"},
                  "fields": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/FieldValue"}},
                  "comment": {"type": "string"},
                  "confirmPersonalData": {"type": "boolean", "description": "accept text that looks like personal data (where the workflow warns rather than refuses)"}
                }
              },
              "OpenBody": {
                "type": "object", "additionalProperties": false,
                "properties": {
                  "fields": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/FieldValue"}},
                  "comment": {"type": "string"},
                  "confirmPersonalData": {"type": "boolean"}
                }
              },
              "Error": {
                "type": "object", "required": ["error"],
                "properties": {"error": {"type": "object", "required": ["status", "code", "message", "problems"], "properties": {
                  "status": {"type": "integer"}, "code": {"type": "string"}, "message": {"type": "string"},
                  "problems": {"type": "array", "items": {"type": "object", "properties": {
                    "code": {"type": "string"}, "field": {"type": "string", "nullable": true}, "message": {"type": "string"}}}}}}}
              }
            }
          }
        }
        """
}
