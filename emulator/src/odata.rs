//! The OData subset the list call supports: `$filter` with `eq`, `in` and `and` on the
//! filterable fields, and `gt`/`ge`/`lt`/`le` on `creationDateTimeUtc`; `$top`,
//! `$skip` and `$orderby`. Anything else is an `ODataError`.

use std::cmp::Ordering;
use std::collections::HashMap;

use time::OffsetDateTime;

use crate::store::StoredAction;
use crate::wire::parse_timestamp;

/// The most `$top` the service accepts.
pub const MAX_TOP: usize = 10_000;

/// The fields `$filter` may name.
const FILTERABLE: &[&str] = &[
    "id",
    "status",
    "machineId",
    "type",
    "requestor",
    "creationDateTimeUtc",
];

/// A parsed list query.
#[derive(Debug, Default)]
pub struct Query {
    pub filter: Vec<Clause>,
    pub top: Option<usize>,
    pub skip: usize,
    pub order: Option<(String, bool)>,
    /// The `$filter` and `$orderby` texts, to repeat in `@odata.nextLink`.
    pub raw_filter: Option<String>,
    pub raw_orderby: Option<String>,
}

/// One comparison of a `$filter`.
#[derive(Debug)]
pub struct Clause {
    field: &'static str,
    op: Op,
    values: Vec<Literal>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Eq,
    In,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug)]
enum Literal {
    Text(String),
    Time(OffsetDateTime),
}

impl Query {
    /// Reads the query-string options; the error is the `ODataError` message.
    pub fn parse(params: &HashMap<String, String>) -> Result<Query, String> {
        let mut q = Query::default();
        for (key, value) in params {
            match key.as_str() {
                "$filter" => {
                    q.filter = parse_filter(value)?;
                    q.raw_filter = Some(value.clone());
                }
                "$top" => {
                    let top: usize = value
                        .parse()
                        .map_err(|_| format!("Invalid value '{value}' for $top"))?;
                    if top > MAX_TOP {
                        return Err(format!(
                            "The limit of '{MAX_TOP}' for Top query has been exceeded"
                        ));
                    }
                    q.top = Some(top);
                }
                "$skip" => {
                    q.skip = value
                        .parse()
                        .map_err(|_| format!("Invalid value '{value}' for $skip"))?
                }
                "$orderby" => {
                    let mut words = value.split_whitespace();
                    let field = words.next().unwrap_or_default();
                    if !["creationDateTimeUtc", "lastUpdateDateTimeUtc"].contains(&field) {
                        return Err(format!("$orderby on '{field}' is not supported"));
                    }
                    let descending = match words.next() {
                        None | Some("asc") => false,
                        Some("desc") => true,
                        Some(other) => {
                            return Err(format!("Invalid direction '{other}' in $orderby"))
                        }
                    };
                    q.order = Some((field.to_owned(), descending));
                    q.raw_orderby = Some(value.clone());
                }
                other if other.starts_with('$') => {
                    return Err(format!("Query option '{other}' is not supported"))
                }
                _ => {}
            }
        }
        Ok(q)
    }

    /// Whether an action passes the filter.
    pub fn matches(&self, a: &StoredAction) -> bool {
        self.filter.iter().all(|c| c.matches(a))
    }

    /// Sorts by `$orderby`, if any (the default order is creation order).
    pub fn sort(&self, actions: &mut [&StoredAction]) {
        if let Some((field, descending)) = &self.order {
            actions.sort_by(|a, b| {
                let ord = if field == "creationDateTimeUtc" {
                    a.created.cmp(&b.created)
                } else {
                    a.last_update.cmp(&b.last_update)
                };
                if *descending {
                    ord.reverse()
                } else {
                    ord
                }
            });
        }
    }
}

impl Clause {
    fn matches(&self, a: &StoredAction) -> bool {
        let text = |s: &str| {
            self.values
                .iter()
                .any(|v| matches!(v, Literal::Text(t) if t.eq_ignore_ascii_case(s)))
        };
        match self.field {
            "id" => text(&a.id),
            "status" => text(&a.status),
            "machineId" => text(&a.machine_id),
            "type" => text(&a.action_type),
            "requestor" => text(&a.requestor),
            _ => self.values.iter().any(|v| {
                let Literal::Time(t) = v else { return false };
                let ord = a.created.cmp(t);
                match self.op {
                    Op::Eq | Op::In => ord == Ordering::Equal,
                    Op::Gt => ord == Ordering::Greater,
                    Op::Ge => ord != Ordering::Less,
                    Op::Lt => ord == Ordering::Less,
                    Op::Le => ord != Ordering::Greater,
                }
            }),
        }
    }
}

/// A token of the filter language.
#[derive(Debug, PartialEq)]
enum Token {
    Word(String),
    Text(String),
    Open,
    Close,
    Comma,
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' | '\t' => {
                chars.next();
            }
            '(' => {
                chars.next();
                tokens.push(Token::Open);
            }
            ')' => {
                chars.next();
                tokens.push(Token::Close);
            }
            ',' => {
                chars.next();
                tokens.push(Token::Comma);
            }
            '\'' => {
                chars.next();
                let mut s = String::new();
                loop {
                    match chars.next() {
                        Some('\'') if chars.peek() == Some(&'\'') => {
                            chars.next();
                            s.push('\'');
                        }
                        Some('\'') => break,
                        Some(c) => s.push(c),
                        None => return Err("Unterminated string literal in $filter".into()),
                    }
                }
                tokens.push(Token::Text(s));
            }
            _ => {
                let mut s = String::new();
                while let Some(&c) = chars.peek() {
                    if c == ' ' || c == '(' || c == ')' || c == ',' || c == '\'' {
                        break;
                    }
                    s.push(c);
                    chars.next();
                }
                tokens.push(Token::Word(s));
            }
        }
    }
    Ok(tokens)
}

fn parse_filter(text: &str) -> Result<Vec<Clause>, String> {
    let tokens = tokenize(text)?;
    let mut it = tokens.into_iter().peekable();
    let mut clauses = Vec::new();
    loop {
        let field = match it.next() {
            Some(Token::Word(w)) => {
                FILTERABLE
                    .iter()
                    .find(|f| **f == w)
                    .copied()
                    .ok_or_else(|| {
                        format!("Could not find a property named '{w}' that can be filtered")
                    })?
            }
            other => return Err(format!("Syntax error in $filter near {other:?}")),
        };
        let op = match it.next() {
            Some(Token::Word(w)) => match w.as_str() {
                "eq" => Op::Eq,
                "in" => Op::In,
                "gt" => Op::Gt,
                "ge" => Op::Ge,
                "lt" => Op::Lt,
                "le" => Op::Le,
                other => return Err(format!("Operator '{other}' is not supported in $filter")),
            },
            other => return Err(format!("Syntax error in $filter near {other:?}")),
        };
        let is_time = field == "creationDateTimeUtc";
        if !is_time && !matches!(op, Op::Eq | Op::In) {
            return Err(format!(
                "Operator {op:?} is only supported on creationDateTimeUtc"
            ));
        }
        let literal = |t: Option<Token>| -> Result<Literal, String> {
            let text = match t {
                Some(Token::Text(s)) => s,
                Some(Token::Word(w)) if is_time => w,
                other => return Err(format!("Expected a literal in $filter, found {other:?}")),
            };
            if is_time {
                parse_timestamp(&text)
                    .map(Literal::Time)
                    .ok_or_else(|| format!("'{text}' is not a valid DateTimeOffset"))
            } else {
                Ok(Literal::Text(text))
            }
        };
        let values = if op == Op::In {
            if it.next() != Some(Token::Open) {
                return Err("Expected '(' after 'in' in $filter".into());
            }
            let mut values = vec![literal(it.next())?];
            loop {
                match it.next() {
                    Some(Token::Comma) => values.push(literal(it.next())?),
                    Some(Token::Close) => break,
                    other => {
                        return Err(format!("Expected ',' or ')' in $filter, found {other:?}"))
                    }
                }
            }
            values
        } else {
            vec![literal(it.next())?]
        };
        clauses.push(Clause { field, op, values });
        match it.next() {
            None => return Ok(clauses),
            Some(Token::Word(w)) if w == "and" => continue,
            Some(Token::Word(w)) if w == "or" || w == "not" => {
                return Err(format!("Operator '{w}' is not supported in $filter"))
            }
            other => return Err(format!("Syntax error in $filter near {other:?}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(filter: &str) -> Result<Query, String> {
        Query::parse(&HashMap::from([(
            "$filter".to_string(),
            filter.to_string(),
        )]))
    }

    #[test]
    fn parses_the_supported_forms() {
        q("status eq 'Pending'").unwrap();
        q("status in ('Pending','InProgress') and type eq 'Isolate'").unwrap();
        q("creationDateTimeUtc gt 2024-01-01T00:00:00Z").unwrap();
        q("creationDateTimeUtc le '2024-01-01T00:00:00.1234567Z' and requestor eq 'o''brien'")
            .unwrap();
    }

    #[test]
    fn rejects_what_the_service_does_not_support() {
        for bad in [
            "status eq 'Pending' or status eq 'Failed'",
            "title eq 'x'",
            "status gt 'A'",
            "status eq",
            "status eq 'unterminated",
            "creationDateTimeUtc gt yesterday",
            "status in 'Pending'",
        ] {
            assert!(q(bad).is_err(), "{bad}");
        }
        let top = HashMap::from([("$top".to_string(), "10001".to_string())]);
        assert!(Query::parse(&top).is_err());
        let select = HashMap::from([("$select".to_string(), "id".to_string())]);
        assert!(Query::parse(&select).is_err());
    }
}
