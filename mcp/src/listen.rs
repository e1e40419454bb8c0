//! Pushing committed changes to agents.  One connection LISTENs on the
//! extension's channel (NOTIFY is delivered only at commit, so a rolled-back
//! DDL sends nothing); each burst of notifications is mapped, through the
//! change log the connecting role may read, to the resources it touched.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use rmcp::model::ResourceUpdatedNotificationParam;
use rmcp::service::Peer;
use rmcp::RoleServer;
use serde_json::Value;
use tokio::sync::mpsc;
use tokio_postgres::{AsyncMessage, Client, Config, NoTls};

use crate::sql::CHANGED_OBJECTS;
use crate::uri::Resource;

/// An MCP session that may be told about changes, with what it subscribed.
struct Session {
    peer: Peer<RoleServer>,
    subscribed: Arc<Mutex<HashSet<String>>>,
}

#[derive(Default)]
pub struct Registry {
    sessions: Mutex<Vec<Session>>,
}

impl Registry {
    pub fn add(&self, peer: Peer<RoleServer>, subscribed: Arc<Mutex<HashSet<String>>>) {
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.retain(|s| !s.peer.is_transport_closed());
            sessions.push(Session { peer, subscribed });
        }
    }

    /// Each open session: its peer and the subscribed addresses among `uris`.
    fn targets(&self, uris: &HashSet<String>) -> Vec<(Peer<RoleServer>, Vec<String>)> {
        let Ok(mut sessions) = self.sessions.lock() else {
            return Vec::new();
        };
        sessions.retain(|s| !s.peer.is_transport_closed());
        sessions
            .iter()
            .map(|s| {
                let subscribed = s
                    .subscribed
                    .lock()
                    .map(|set| set.clone())
                    .unwrap_or_default();
                (
                    s.peer.clone(),
                    uris.iter()
                        .filter(|u| subscribed.contains(*u))
                        .cloned()
                        .collect(),
                )
            })
            .collect()
    }
}

/// One change row as the connecting role may read it.
#[derive(Debug)]
pub struct Change {
    pub action: String,
    pub schema: Option<String>,
    pub object: Option<String>,
}

/// What one burst of change rows means for the resources.
#[derive(Debug, Default, PartialEq)]
pub struct Touched {
    pub uris: HashSet<String>,
    pub list_changed: bool,
}

pub fn touched(changes: &[Change]) -> Touched {
    let mut out = Touched::default();
    for change in changes {
        out.uris.insert(Resource::Changelog.uri());
        if let Some(schema) = &change.schema {
            out.uris.insert(Resource::Schema(schema.clone()).uri());
            if let Some(object) = &change.object {
                out.uris
                    .insert(Resource::Table(schema.clone(), object.clone()).uri());
            }
        }
        let appears_or_goes = ["created_", "dropped_", "renamed_", "discovered_"];
        out.list_changed |= appears_or_goes.iter().any(|p| change.action.starts_with(p));
    }
    out
}

/// Ids a payload names: `{"id": n}` or a batch `{"first_id", "last_id"}`.
fn payload_ids(payload: &str, ids: &mut Vec<i64>, range: &mut Option<(i64, i64)>) {
    let Ok(doc) = serde_json::from_str::<Value>(payload) else {
        return;
    };
    if let Some(id) = doc["id"].as_i64() {
        ids.push(id);
    } else if let (Some(first), Some(last)) = (doc["first_id"].as_i64(), doc["last_id"].as_i64()) {
        let (lo, hi) = range.map_or((first, last), |(lo, hi)| (lo.min(first), hi.max(last)));
        *range = Some((lo, hi));
    }
}

pub async fn run(config: Config, registry: Arc<Registry>) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = config.connect(NoTls).await?;
    let (sender, mut payloads) = mpsc::unbounded_channel::<String>();
    let mut messages = futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
    tokio::spawn(async move {
        while let Some(message) = messages.next().await {
            match message {
                Ok(AsyncMessage::Notification(n)) => {
                    let _ = sender.send(n.payload().to_string());
                }
                Ok(_) => {}
                Err(e) => {
                    eprintln!("planner-meta-mcp: listening connection closed: {e}");
                    break;
                }
            }
        }
    });
    client.batch_execute("LISTEN planner_meta").await?;
    while let Some(first) = payloads.recv().await {
        let (mut ids, mut range) = (Vec::new(), None);
        payload_ids(&first, &mut ids, &mut range);
        // One commit sends one notification per row: take the whole burst.
        while let Ok(more) = payloads.try_recv() {
            payload_ids(&more, &mut ids, &mut range);
        }
        let changes = changed_objects(&client, &ids, range).await?;
        deliver(&registry, touched(&changes)).await;
    }
    Ok(())
}

async fn changed_objects(
    client: &Client,
    ids: &[i64],
    range: Option<(i64, i64)>,
) -> Result<Vec<Change>, tokio_postgres::Error> {
    let (lo, hi) = range.unwrap_or((1, 0));
    let rows = client.query(CHANGED_OBJECTS, &[&ids, &lo, &hi]).await?;
    Ok(rows
        .iter()
        .map(|r| Change {
            action: r.get(1),
            schema: r.get(2),
            object: r.get(3),
        })
        .collect())
}

async fn deliver(registry: &Registry, touched: Touched) {
    if touched.uris.is_empty() {
        return;
    }
    for (peer, uris) in registry.targets(&touched.uris) {
        for uri in uris {
            let _ = peer
                .notify_resource_updated(ResourceUpdatedNotificationParam::new(uri))
                .await;
        }
        if touched.list_changed {
            let _ = peer.notify_resource_list_changed().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on_table_s_t(action: &str) -> Vec<Change> {
        vec![Change {
            action: action.to_string(),
            schema: Some("s".to_string()),
            object: Some("t".to_string()),
        }]
    }

    #[test]
    fn a_new_table_touches_its_schema_and_the_lists() {
        let t = touched(&on_table_s_t("created_table"));
        assert!(t.list_changed);
        for uri in [
            "planner-meta://changelog",
            "planner-meta://schema/s",
            "planner-meta://table/s/t",
        ] {
            assert!(t.uris.contains(uri), "{uri}");
        }
    }

    #[test]
    fn a_structure_change_does_not_change_the_lists() {
        assert!(!touched(&on_table_s_t("updated_table_structure")).list_changed);
    }

    #[test]
    fn payloads_give_ids_and_ranges() {
        let (mut ids, mut range) = (Vec::new(), None);
        payload_ids(r#"{"id": 7, "action": "x"}"#, &mut ids, &mut range);
        payload_ids(
            r#"{"action": "batch", "first_id": 10, "last_id": 20}"#,
            &mut ids,
            &mut range,
        );
        payload_ids("not json", &mut ids, &mut range);
        assert_eq!(ids, vec![7]);
        assert_eq!(range, Some((10, 20)));
    }
}
