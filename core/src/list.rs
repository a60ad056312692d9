//! Listing machine actions: typed filters turned into the OData query, pages
//! followed as a stream.

use std::collections::VecDeque;

use futures_util::Stream;
use http::Method;
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::action::MachineAction;
use crate::client::{Client, Tries};
use crate::error::Error;
use crate::http::{request_uri, Api, Call};
use crate::timestamp::Timestamp;

/// The most entities one page may hold (the service's limit on `$top`).
pub const MAX_PAGE: usize = 10_000;

/// Which actions to list. Every field narrows the selection; the JSON form (keys
/// `status`, `type`, `machine_id`, `requestor`, `created_after`, `created_before`,
/// `top`; a status or type may be one string or a list) is what the C ABI and the
/// CLI take. Unknown keys are rejected.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListFilter {
    /// Statuses to keep (any of them), e.g. `Pending`.
    #[serde(default, deserialize_with = "one_or_many")]
    pub status: Vec<String>,
    /// Action types to keep (any of them), e.g. `Isolate`.
    #[serde(default, rename = "type", deserialize_with = "one_or_many")]
    pub action_type: Vec<String>,
    /// The machine's id.
    #[serde(default)]
    pub machine_id: Option<String>,
    /// Who requested the actions (a UPN, or an app's display name).
    #[serde(default)]
    pub requestor: Option<String>,
    /// Created strictly after this time (ISO 8601).
    #[serde(default, deserialize_with = "timestamp")]
    pub created_after: Option<Timestamp>,
    /// Created strictly before this time (ISO 8601).
    #[serde(default, deserialize_with = "timestamp")]
    pub created_before: Option<Timestamp>,
    /// At most this many actions in all.
    #[serde(default)]
    pub top: Option<usize>,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Option::<OneOrMany>::deserialize(d)? {
        None => Vec::new(),
        Some(OneOrMany::One(s)) => vec![s],
        Some(OneOrMany::Many(v)) => v,
    })
}

fn timestamp<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(text) => Timestamp::parse(&text).map(Some).ok_or_else(|| {
            serde::de::Error::custom(format!("{text:?} is not an ISO 8601 timestamp"))
        }),
    }
}

/// An OData string literal: quoted, with quotes doubled.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

impl ListFilter {
    /// Reads a filter from its JSON form; errors are `InvalidArgument` naming the key.
    pub fn from_json(text: &str) -> Result<Self, Error> {
        serde_json::from_str(text)
            .map_err(|e| Error::invalid_argument(format!("invalid list filter: {e}")))
    }

    /// The `$filter` expression, or `None` when nothing is filtered.
    pub fn odata(&self) -> Option<String> {
        let mut clauses = Vec::new();
        let any_of = |field: &str, values: &[String]| match values {
            [] => None,
            [one] => Some(format!("{field} eq {}", literal(one))),
            many => Some(format!(
                "{field} in ({})",
                many.iter()
                    .map(|v| literal(v))
                    .collect::<Vec<_>>()
                    .join(",")
            )),
        };
        clauses.extend(any_of("status", &self.status));
        clauses.extend(any_of("type", &self.action_type));
        if let Some(m) = &self.machine_id {
            clauses.push(format!("machineId eq {}", literal(m)));
        }
        if let Some(r) = &self.requestor {
            clauses.push(format!("requestor eq {}", literal(r)));
        }
        if let Some(t) = &self.created_after {
            clauses.push(format!("creationDateTimeUtc gt {t}"));
        }
        if let Some(t) = &self.created_before {
            clauses.push(format!("creationDateTimeUtc lt {t}"));
        }
        (!clauses.is_empty()).then(|| clauses.join(" and "))
    }
}

/// One page as the service sends it.
#[derive(Deserialize)]
struct Page {
    value: Vec<Box<RawValue>>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
}

/// Where the listing is.
struct Listing {
    client: Client,
    filter: Option<String>,
    /// Actions still wanted (`top`), `None` for all.
    remaining: Option<usize>,
    skip: usize,
    next: Option<url::Url>,
    buffer: VecDeque<MachineAction>,
    done: bool,
}

impl Listing {
    /// How many actions the next page asks for.
    fn page_size(&self) -> usize {
        self.remaining.unwrap_or(MAX_PAGE).min(MAX_PAGE)
    }

    fn page_url(&self) -> url::Url {
        let mut url = self.client.inner.base.clone();
        url.path_segments_mut()
            .expect("an http(s) base URL has a path")
            .pop_if_empty()
            .extend(["api", "machineactions"]);
        {
            let mut q = url.query_pairs_mut();
            if let Some(f) = &self.filter {
                q.append_pair("$filter", f);
            }
            q.append_pair("$top", &self.page_size().to_string());
            if self.skip > 0 {
                q.append_pair("$skip", &self.skip.to_string());
            }
        }
        url
    }

    async fn fetch(&mut self) -> Result<(), Error> {
        let auth = self.client.auth()?;
        let url = self.next.take().unwrap_or_else(|| self.page_url());
        let requested = self.page_size();
        let call = Call {
            api: Api::List,
            method: Method::GET,
            url: request_uri(url.into())?,
            body: None,
            what: "list of machine actions",
            id: None,
        };
        let mut tries = Tries::default();
        let reply = self.client.send(&call, auth, &mut tries).await?;
        let bad = |why: String| reply.bad(&call.context(), tries.attempts, &why);
        let page: Page = serde_json::from_slice(&reply.body)
            .map_err(|e| bad(format!("not a page of actions: {e}")))?;
        let got = page.value.len();
        for raw in page.value.iter().take(self.remaining.unwrap_or(usize::MAX)) {
            self.buffer
                .push_back(MachineAction::from_json(raw.get()).map_err(&bad)?);
        }
        if let Some(r) = &mut self.remaining {
            *r = r.saturating_sub(got);
        }
        self.skip += got;
        let more_wanted = self.remaining != Some(0);
        match page.next_link {
            Some(link) if more_wanted => {
                let link = url::Url::parse(&link)
                    .map_err(|e| bad(format!("invalid @odata.nextLink: {e}")))?;
                // The token goes wherever the link points: only to the API itself.
                if link.origin() != self.client.inner.base.origin() {
                    return Err(bad(format!(
                        "@odata.nextLink points to another host ({}); not following it",
                        link.host_str().unwrap_or_default()
                    )));
                }
                self.next = Some(link);
            }
            // Without a link, a full page means there may be more: page with $skip.
            _ => self.done = !more_wanted || got < requested || got == 0,
        }
        Ok(())
    }
}

impl Client {
    /// Lists machine actions matching `filter`, page after page (following
    /// `@odata.nextLink`, or `$skip` when the service sends none), as a stream: a
    /// large result is never held whole. Each page goes through the rate limiter of
    /// the list API. After an error the stream ends.
    pub fn list_actions(
        &self,
        filter: &ListFilter,
    ) -> impl Stream<Item = Result<MachineAction, Error>> + Send + 'static {
        let listing = Listing {
            client: self.clone(),
            filter: filter.odata(),
            remaining: filter.top,
            skip: 0,
            next: None,
            buffer: VecDeque::new(),
            done: filter.top == Some(0),
        };
        futures_util::stream::unfold(listing, |mut listing| async move {
            loop {
                if let Some(action) = listing.buffer.pop_front() {
                    return Some((Ok(action), listing));
                }
                if listing.done {
                    return None;
                }
                if let Err(e) = listing.fetch().await {
                    listing.done = true;
                    return Some((Err(e), listing));
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_odata() {
        let f = ListFilter::from_json(
            r#"{"status": ["Pending", "InProgress"], "type": "Isolate", "machine_id": "m'1",
                "requestor": "a@b", "created_after": "2024-01-02T03:04:05Z"}"#,
        )
        .unwrap();
        assert_eq!(
            f.odata().unwrap(),
            "status in ('Pending','InProgress') and type eq 'Isolate' and machineId eq 'm''1' \
             and requestor eq 'a@b' and creationDateTimeUtc gt 2024-01-02T03:04:05.0000000Z"
        );
        assert_eq!(ListFilter::default().odata(), None);
    }

    #[test]
    fn bad_filters_name_the_key() {
        let e = ListFilter::from_json(r#"{"stauts": "Pending"}"#).unwrap_err();
        assert!(e.to_string().contains("stauts"), "{e}");
        let e = ListFilter::from_json(r#"{"created_after": "yesterday"}"#).unwrap_err();
        assert!(e.to_string().contains("yesterday"), "{e}");
    }
}
