//! Small in-memory schemas shared by the planner's unit tests.

use serde_json::{json, Value};

use super::model::{Knowledge, Model};

/// Asserts that the draft SQL planned for `question` contains `needle`.
pub fn assert_sql_contains(model: &Model, question: &str, needle: &str) {
    let plan = super::plan::make_plan(model, question, super::plan::DEFAULT_MAX_TABLES);
    assert!(plan.sql.contains(needle), "{question}: {}", plan.sql);
}

/// The model of a knowledge document.
pub fn model_of(knowledge: Value) -> Model {
    Model::build(serde_json::from_value::<Knowledge>(knowledge).expect("knowledge parses"))
}

/// Customers, their orders, and products.
pub fn shop() -> Model {
    model_of(json!({
        "tables": [
            {"schema": "public", "name": "customers", "kind": "table", "comment": null,
             "primary_key": ["id"],
             "columns": [{"name": "id", "type": "integer", "comment": null},
                         {"name": "name", "type": "text", "comment": null},
                         {"name": "city", "type": "text", "comment": null},
                         {"name": "state", "type": "text", "comment": null}]},
            {"schema": "public", "name": "orders", "kind": "table", "comment": "purchases",
             "primary_key": ["id"],
             "columns": [{"name": "id", "type": "integer", "comment": null},
                         {"name": "customer_id", "type": "integer", "comment": null},
                         {"name": "total", "type": "numeric(10,2)", "comment": null},
                         {"name": "ordered_at", "type": "date", "comment": null}]},
            {"schema": "public", "name": "products", "kind": "table", "comment": null,
             "primary_key": ["id"],
             "columns": [{"name": "id", "type": "integer", "comment": null},
                         {"name": "title", "type": "text", "comment": null}]}
        ],
        "foreign_keys": [
            {"name": "orders_customer_id_fkey", "from_schema": "public", "from_table": "orders",
             "from_columns": ["customer_id"], "to_schema": "public", "to_table": "customers",
             "to_columns": ["id"], "one_to_one": false}
        ],
        "values": [
            {"schema": "public", "table": "customers", "column": "city", "value": "New York", "source": "pg_stats"},
            {"schema": "public", "table": "customers", "column": "state", "value": "NY", "source": "pg_stats"}
        ],
        "synonyms": []
    }))
}

/// People, some of them poker players.
pub fn poker() -> Model {
    model_of(json!({
        "tables": [
            {"schema": "public", "name": "people", "kind": "table", "comment": null,
             "primary_key": ["people_id"],
             "columns": [{"name": "people_id", "type": "integer", "comment": null},
                         {"name": "name", "type": "text", "comment": null},
                         {"name": "height", "type": "numeric", "comment": null}]},
            {"schema": "public", "name": "poker_player", "kind": "table", "comment": null,
             "primary_key": ["poker_player_id"],
             "columns": [{"name": "poker_player_id", "type": "integer", "comment": null},
                         {"name": "people_id", "type": "integer", "comment": null},
                         {"name": "earnings", "type": "numeric", "comment": null}]}
        ],
        "foreign_keys": [
            {"name": "poker_player_people_id_fkey", "from_schema": "public", "from_table": "poker_player",
             "from_columns": ["people_id"], "to_schema": "public", "to_table": "people",
             "to_columns": ["people_id"], "one_to_one": false}
        ],
        "values": [],
        "synonyms": []
    }))
}

/// TV channels and the cartoons they play.
pub fn cartoons() -> Model {
    model_of(json!({
        "tables": [
            {"schema": "public", "name": "channel", "kind": "table", "comment": null,
             "primary_key": ["id"],
             "columns": [{"name": "id", "type": "integer", "comment": null},
                         {"name": "series_name", "type": "text", "comment": null}]},
            {"schema": "public", "name": "cartoon", "kind": "table", "comment": null,
             "primary_key": ["id"],
             "columns": [{"name": "id", "type": "integer", "comment": null},
                         {"name": "channel_id", "type": "integer", "comment": null},
                         {"name": "directed_by", "type": "text", "comment": null}]}
        ],
        "foreign_keys": [
            {"name": "cartoon_channel_fkey", "from_schema": "public", "from_table": "cartoon",
             "from_columns": ["channel_id"], "to_schema": "public", "to_table": "channel",
             "to_columns": ["id"], "one_to_one": false}
        ],
        "values": [
            {"schema": "public", "table": "cartoon", "column": "directed_by", "value": "Ben Jones", "source": "pg_stats"},
            {"schema": "public", "table": "cartoon", "column": "directed_by", "value": "Michael Chang", "source": "pg_stats"}
        ],
        "synonyms": []
    }))
}

/// Rooms valid over periods, booked through a temporal (PERIOD) key.
pub fn bookings() -> Model {
    model_of(json!({
        "tables": [
            {"schema": "public", "name": "rooms", "kind": "table", "comment": null,
             "primary_key": ["id", "valid_at"],
             "columns": [{"name": "id", "type": "integer", "comment": null},
                         {"name": "valid_at", "type": "daterange", "comment": null}]},
            {"schema": "public", "name": "bookings", "kind": "table", "comment": null,
             "primary_key": ["id"],
             "columns": [{"name": "id", "type": "integer", "comment": null},
                         {"name": "room_id", "type": "integer", "comment": null},
                         {"name": "booked", "type": "daterange", "comment": null}]}
        ],
        "foreign_keys": [
            {"name": "bookings_room_fkey", "from_schema": "public", "from_table": "bookings",
             "from_columns": ["room_id", "booked"], "to_schema": "public", "to_table": "rooms",
             "to_columns": ["id", "valid_at"], "one_to_one": false, "is_temporal": true}
        ],
        "values": [],
        "synonyms": []
    }))
}
