import SrochnoCore
import SrochnoStore

extension OrderRecord {
    /// OrderResponse (SPEC §5). `showContact` false for lists, whoever asks.
    func write(to json: inout JSONWriter, now: Instant, viewer: Int64?, showContact: Bool = true) {
        json.beginObject()
        json.key("id"); json.value(id)
        json.key("category"); json.value(category)
        json.key("description"); json.value(description)
        json.key("city"); json.value(city)
        json.key("contact"); json.value(showContact && contactVisible(to: viewer) ? contact : nil)
        json.key("created_at"); json.value(createdAt.rfc3339)
        json.key("expires_in_minutes"); json.value(lifetimeMinutes)
        json.key("status"); json.value(timeline.effectiveStatus(at: now).rawValue)
        json.key("taken_by")
        json.beginArray()
        for take in takes {
            json.beginObject()
            json.key("executor_id"); json.value(take.executorID)
            json.key("taken_at"); json.value(take.takenAt.rfc3339)
            json.endObject()
        }
        json.endArray()
        json.key("customer_responded_at"); json.value(respondedAt?.rfc3339)
        json.key("city_locked"); json.value(true)
        json.key("rating"); json.value(reviewRating)
        json.key("review_comment"); json.value(reviewComment)
        json.endObject()
    }

    func response(status: Int = 200, now: Instant, viewer: Int64?) -> HTTPResponse {
        .json(status) { json in write(to: &json, now: now, viewer: viewer) }
    }
}

/// `{"success": true}`, the answer of writes with nothing else to say.
func successResponse() -> HTTPResponse {
    .json(200) { json in
        json.beginObject()
        json.key("success"); json.value(true)
        json.endObject()
    }
}

func writeStrings(_ values: [String], to json: inout JSONWriter) {
    json.beginArray()
    for value in values { json.value(value) }
    json.endArray()
}
