//! Price lists: a product's price per currency, net of KDV or KDV-included, with quantity
//! breaks; the default list of a currency, and lists given to particular customers. Pure
//! rules: which break applies to a quantity, and the net unit price of a KDV-included one.

use crate::error::FieldErrors;
use crate::money::is_currency;
use crate::pricing::{Quantity, VatRate};

/// The longest name of a list.
pub const MAX_NAME: usize = 120;
/// The most prices one list holds.
pub const MAX_ITEMS: usize = 5_000;

/// A stored list with its prices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceList {
    pub id: i64,
    pub fields: PriceListFields,
    pub items: Vec<PriceItem>,
    /// The companies and people whose quotes take this list first.
    pub companies: Vec<i64>,
    pub people: Vec<i64>,
    pub version: i64,
}

/// What a list says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceListFields {
    pub name: String,
    pub currency: String,
    /// Prices include KDV (a shop's shelf price); a quote line takes the net of it.
    pub vat_included: bool,
    /// The list of its currency that every customer without a list of their own gets.
    pub is_default: bool,
    pub active: bool,
}

/// One price: from `min_quantity` up (a quantity break), per unit, in minor units of the
/// list's currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceItem {
    pub product_id: i64,
    pub min_quantity: Quantity,
    pub unit_price: i64,
}

/// A list as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PriceListDraft {
    pub name: String,
    pub currency: String,
    pub vat_included: bool,
    pub is_default: bool,
    pub active: bool,
}

/// One price as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PriceItemDraft {
    pub product_id: Option<i64>,
    /// Empty is 1.
    pub min_quantity: String,
    pub unit_price: Option<i64>,
}

impl PriceListDraft {
    pub fn validate(&self) -> Result<PriceListFields, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = crate::product::text(&self.name, MAX_NAME, true, "name", &mut errors);
        let currency = match self.currency.trim().to_ascii_uppercase() {
            empty if empty.is_empty() => "TRY".to_string(),
            code => {
                if !is_currency(&code) {
                    errors.add("currency", "invalid-currency");
                }
                code
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(PriceListFields {
            name,
            currency,
            vat_included: self.vat_included,
            is_default: self.is_default,
            active: self.active,
        })
    }
}

/// Checks typed prices; every refusal at once, named `items/N/field`. Two prices of one
/// product from the same quantity are refused on the second.
pub fn check_items(drafts: &[PriceItemDraft]) -> Result<Vec<PriceItem>, FieldErrors> {
    let mut errors = FieldErrors::new();
    if drafts.len() > MAX_ITEMS {
        errors.add("items", "invalid-too-many-items");
        return Err(errors);
    }
    let mut items: Vec<PriceItem> = Vec::with_capacity(drafts.len());
    for (index, draft) in drafts.iter().enumerate() {
        let at = |field: &str| format!("items/{index}/{field}");
        let product_id = draft.product_id.filter(|id| *id > 0);
        if product_id.is_none() {
            errors.add(at("product_id"), "invalid-required");
        }
        let min_quantity = match draft.min_quantity.trim() {
            "" => Quantity::from_thousandths(1_000).ok(),
            typed => Quantity::parse(typed).ok(),
        };
        if min_quantity.is_none() {
            errors.add(at("min_quantity"), "invalid-quantity-positive");
        }
        let unit_price = draft.unit_price.filter(|p| *p >= 0);
        if unit_price.is_none() {
            errors.add(at("unit_price"), "invalid-amount");
        }
        if let (Some(product_id), Some(min_quantity), Some(unit_price)) =
            (product_id, min_quantity, unit_price)
        {
            if items
                .iter()
                .any(|i| i.product_id == product_id && i.min_quantity == min_quantity)
            {
                errors.add(at("min_quantity"), "invalid-duplicate");
            } else {
                items.push(PriceItem {
                    product_id,
                    min_quantity,
                    unit_price,
                });
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(items)
}

/// The price of `product` for `quantity` in `items`: the break with the largest minimum
/// quantity not above it. `None` when the list has no price for the product at that
/// quantity.
pub fn break_price(items: &[PriceItem], product: i64, quantity: Quantity) -> Option<i64> {
    items
        .iter()
        .filter(|i| i.product_id == product && i.min_quantity <= quantity)
        .max_by_key(|i| i.min_quantity)
        .map(|i| i.unit_price)
}

/// The net of a KDV-included unit price: `round(price × 100 / (100 + rate))`, half away
/// from zero, in minor units.
pub fn net_of_vat(price: i64, rate: VatRate) -> i64 {
    let scale = 10_000_i128 + i128::from(rate.basis_points());
    let scaled = i128::from(price) * 10_000;
    let half = scale / 2;
    let rounded = if scaled >= 0 {
        (scaled + half) / scale
    } else {
        (scaled - half) / scale
    };
    i64::try_from(rounded).unwrap_or(i64::MAX)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    fn item(product: i64, from: &str, price: i64) -> PriceItem {
        PriceItem {
            product_id: product,
            min_quantity: Quantity::parse(from).unwrap(),
            unit_price: price,
        }
    }

    #[test]
    fn the_largest_break_not_above_the_quantity_applies() {
        let items = [
            item(1, "1", 1_000),
            item(1, "10", 900),
            item(1, "100", 800),
            item(2, "1", 5),
        ];
        let q = |text: &str| Quantity::parse(text).unwrap();
        assert_eq!(
            break_price(&items, 1, q("0.5")),
            None,
            "below the first break"
        );
        assert_eq!(break_price(&items, 1, q("1")), Some(1_000));
        assert_eq!(break_price(&items, 1, q("9.999")), Some(1_000));
        assert_eq!(break_price(&items, 1, q("10")), Some(900));
        assert_eq!(break_price(&items, 1, q("250")), Some(800));
        assert_eq!(break_price(&items, 3, q("1")), None);
    }

    #[test]
    fn a_kdv_included_price_is_turned_into_its_net_rounded_to_the_kurus() {
        let twenty = VatRate::from_percent(20).unwrap();
        assert_eq!(net_of_vat(12_000, twenty), 10_000);
        // 100,00 / 1,20 = 83,333… → 83,33; 100,01 / 1,20 = 83,341… → 83,34.
        assert_eq!(net_of_vat(10_000, twenty), 8_333);
        assert_eq!(net_of_vat(10_001, twenty), 8_334);
        assert_eq!(
            net_of_vat(10_100, VatRate::from_percent(1).unwrap()),
            10_000
        );
        assert_eq!(net_of_vat(777, VatRate::ZERO), 777);
    }

    #[test]
    fn bad_prices_are_named_and_a_repeated_break_is_refused() {
        let drafts = [
            PriceItemDraft {
                product_id: Some(1),
                min_quantity: String::new(),
                unit_price: Some(100),
            },
            PriceItemDraft {
                product_id: Some(1),
                min_quantity: "1".into(),
                unit_price: Some(90),
            },
            PriceItemDraft {
                product_id: None,
                min_quantity: "0".into(),
                unit_price: Some(-1),
            },
        ];
        let errors = check_items(&drafts).unwrap_err();
        let fields: Vec<(&str, &str)> = errors
            .0
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("items/1/min_quantity", "invalid-duplicate"),
                ("items/2/product_id", "invalid-required"),
                ("items/2/min_quantity", "invalid-quantity-positive"),
                ("items/2/unit_price", "invalid-amount"),
            ]
        );
        let draft = PriceListDraft {
            name: " Bayi ".into(),
            currency: "eur".into(),
            ..PriceListDraft::default()
        };
        assert_eq!(draft.validate().unwrap().currency, "EUR");
        assert!(
            PriceListDraft {
                name: "X".into(),
                currency: "TL".into(),
                ..PriceListDraft::default()
            }
            .validate()
            .is_err()
        );
    }
}
