//! Values between SQLite's storage classes and PostgreSQL's wire types.
//!
//! Parameters are encoded to whatever type the server inferred for the placeholder (an
//! integer bound where text is expected is sent as its decimal text, as SQLite's affinity
//! would store it). Columns decode to `Integer`, `Real`, `Text`, `Blob` or `Null`; booleans
//! become 0/1, NUMERIC (what `SUM` of integers returns) an integer when it has no scale.

use super::super::{DbError, Result, ToSql, Value};
use bytes::BytesMut;
use postgres::types::{FromSql as PgFromSql, IsNull, ToSql as PgToSql, Type, to_sql_checked};
use rusqlite::types::{ToSqlOutput, ValueRef};

/// A parameter ready to encode.
#[derive(Debug)]
pub struct Param(Value);

/// Converts rusqlite parameters to owned values.
pub fn params(p: &[&dyn ToSql]) -> Result<Vec<Param>> {
    p.iter()
        .map(|v| {
            Ok(Param(match v.to_sql()? {
                ToSqlOutput::Borrowed(r) => owned(r),
                ToSqlOutput::Owned(v) => v,
                _ => return Err(DbError::Conversion("unsupported parameter".into())),
            }))
        })
        .collect()
}

fn owned(r: rusqlite::types::ValueRef<'_>) -> Value {
    use rusqlite::types::ValueRef as R;
    match r {
        R::Null => Value::Null,
        R::Integer(i) => Value::Integer(i),
        R::Real(f) => Value::Real(f),
        R::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        R::Blob(b) => Value::Blob(b.to_vec()),
    }
}

/// The parameters as the client wants them.
pub fn refs(p: &[Param]) -> Vec<&(dyn PgToSql + Sync)> {
    p.iter().map(|v| v as &(dyn PgToSql + Sync)).collect()
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::Integer(i) => Some(i.to_string()),
        Value::Real(f) => Some(f.to_string()),
        Value::Text(s) => Some(s.clone()),
        Value::Blob(b) => Some(String::from_utf8_lossy(b).into_owned()),
        Value::Null => None,
    }
}

fn int(v: &Value) -> std::result::Result<i64, Box<dyn std::error::Error + Sync + Send>> {
    match v {
        Value::Integer(i) => Ok(*i),
        #[allow(clippy::cast_possible_truncation)]
        Value::Real(f) => Ok(*f as i64),
        Value::Text(s) => Ok(s.trim().parse()?),
        _ => Err("expected an integer".into()),
    }
}

impl PgToSql for Param {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        if matches!(self.0, Value::Null) {
            return Ok(IsNull::Yes);
        }
        match *ty {
            Type::INT8 => PgToSql::to_sql(&int(&self.0)?, ty, out),
            Type::INT4 => PgToSql::to_sql(&i32::try_from(int(&self.0)?)?, ty, out),
            Type::INT2 => PgToSql::to_sql(&i16::try_from(int(&self.0)?)?, ty, out),
            Type::BOOL => PgToSql::to_sql(&(int(&self.0)? != 0), ty, out),
            #[allow(clippy::cast_precision_loss)]
            Type::FLOAT8 | Type::FLOAT4 | Type::NUMERIC => {
                let f = match &self.0 {
                    Value::Real(f) => *f,
                    Value::Integer(i) => *i as f64,
                    Value::Text(s) => s.trim().parse()?,
                    _ => return Err("expected a number".into()),
                };
                if *ty == Type::FLOAT4 {
                    #[allow(clippy::cast_possible_truncation)]
                    PgToSql::to_sql(&(f as f32), ty, out)
                } else if *ty == Type::NUMERIC {
                    Err("NUMERIC parameters are not used".into())
                } else {
                    PgToSql::to_sql(&f, ty, out)
                }
            }
            Type::BYTEA => match &self.0 {
                Value::Blob(b) => PgToSql::to_sql(&b.as_slice(), ty, out),
                v => PgToSql::to_sql(&text(v).unwrap_or_default().as_bytes(), ty, out),
            },
            _ => PgToSql::to_sql(&text(&self.0).unwrap_or_default(), ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// NUMERIC in its binary form, decoded to an integer or a float.
struct Numeric(Value);

impl<'a> PgFromSql<'a> for Numeric {
    fn from_sql(
        _: &Type,
        raw: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        let w = |i: usize| -> std::result::Result<i16, &'static str> {
            raw.get(i..i + 2)
                .map(|b| i16::from_be_bytes([b[0], b[1]]))
                .ok_or("short NUMERIC")
        };
        let (ndigits, weight, sign, scale) = (w(0)?, w(2)?, w(4)? as u16, w(6)?);
        if sign == 0xC000 {
            return Ok(Self(Value::Null));
        }
        let mut f = 0f64;
        let mut n: i128 = 0;
        for k in 0..usize::try_from(ndigits).unwrap_or(0) {
            let d = w(8 + 2 * k)?;
            let power = i32::from(weight) - i32::try_from(k).unwrap_or(0);
            f += f64::from(d) * 10_000f64.powi(power);
            if power >= 0 {
                n += i128::from(d) * 10_000i128.pow(power.unsigned_abs());
            }
        }
        let neg = sign == 0x4000;
        Ok(Self(if scale == 0 {
            let n = if neg { -n } else { n };
            Value::Integer(i64::try_from(n)?)
        } else {
            Value::Real(if neg { -f } else { f })
        }))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::NUMERIC
    }
}

/// JSON (and JSONB) as its text, as SQLite's JSON functions return it, borrowed from the row.
struct JsonText<'a>(&'a str);

impl<'a> PgFromSql<'a> for JsonText<'a> {
    fn from_sql(
        ty: &Type,
        raw: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        let body = if *ty == Type::JSONB {
            raw.get(1..).unwrap_or_default()
        } else {
            raw
        };
        Ok(Self(std::str::from_utf8(body)?))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::JSON || *ty == Type::JSONB
    }
}

/// One cell in SQLite's storage classes: borrowed from the wire row where it can be (text,
/// blobs, JSON), owned where it must be converted (NUMERIC).
pub enum Cell<'a> {
    /// Borrowed from the row.
    Ref(ValueRef<'a>),
    /// Converted.
    Owned(Value),
}

impl Cell<'_> {
    /// The cell as SQLite's value reference.
    pub fn as_ref(&self) -> ValueRef<'_> {
        match self {
            Self::Ref(v) => *v,
            Self::Owned(v) => ValueRef::from(v),
        }
    }
}

/// Column `i` of a wire row, decoded only when asked for (no per-row allocation).
pub fn cell(r: &postgres::Row, i: usize) -> Result<Cell<'_>> {
    let Some(column) = r.columns().get(i) else {
        return Err(DbError::Conversion(format!("column {i} is out of range")));
    };
    let int = |v: Option<i64>| Cell::Ref(v.map_or(ValueRef::Null, ValueRef::Integer));
    let cell = match *column.type_() {
        Type::INT8 => int(r.try_get::<_, Option<i64>>(i)?),
        Type::INT4 => int(r.try_get::<_, Option<i32>>(i)?.map(i64::from)),
        Type::INT2 => int(r.try_get::<_, Option<i16>>(i)?.map(i64::from)),
        Type::BOOL => int(r.try_get::<_, Option<bool>>(i)?.map(i64::from)),
        Type::FLOAT8 => Cell::Ref(
            r.try_get::<_, Option<f64>>(i)?
                .map_or(ValueRef::Null, ValueRef::Real),
        ),
        Type::FLOAT4 => Cell::Ref(
            r.try_get::<_, Option<f32>>(i)?
                .map_or(ValueRef::Null, |v| ValueRef::Real(v.into())),
        ),
        Type::NUMERIC => Cell::Owned(
            r.try_get::<_, Option<Numeric>>(i)?
                .map_or(Value::Null, |n| n.0),
        ),
        Type::BYTEA => Cell::Ref(
            r.try_get::<_, Option<&[u8]>>(i)?
                .map_or(ValueRef::Null, ValueRef::Blob),
        ),
        Type::JSON | Type::JSONB => Cell::Ref(
            r.try_get::<_, Option<JsonText<'_>>>(i)?
                .map_or(ValueRef::Null, |j| ValueRef::Text(j.0.as_bytes())),
        ),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => Cell::Ref(
            r.try_get::<_, Option<&str>>(i)?
                .map_or(ValueRef::Null, |t| ValueRef::Text(t.as_bytes())),
        ),
        ref other => {
            return Err(DbError::Conversion(format!(
                "column {} has type {other}, which the store does not read",
                column.name()
            )));
        }
    };
    Ok(cell)
}
