//! The demo shop's orders, as its own system would answer them to the flow's HTTP
//! block (`GET /demo/orders/<n>`): a status, the items and the expected delivery,
//! counted from today so the demo never goes stale.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub description: &'static str,
    pub quantity: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Order {
    pub number: u32,
    pub status: &'static str,
    pub items: Vec<Item>,
    /// "1x Cafeteira …, 2x …": what a chat message shows of `items`.
    pub items_summary: String,
    /// `DD/MM/AAAA`, in the shop's time zone.
    pub expected_delivery: String,
}

/// (number, status, days from today to the delivery, items)
type Known = (u32, &'static str, i64, &'static [(&'static str, u32)]);

const ORDERS: [Known; 4] = [
    (4521, "a caminho", 3, &[("Cafeteira italiana 6 xícaras", 1), ("Café em grãos 500 g", 2)]),
    (4522, "em separação no estoque", 6, &[("Camiseta básica tamanho M", 2)]),
    (3310, "entregue", -4, &[("Chaleira elétrica 1,7 L", 1)]),
    (5003, "aguardando a confirmação do pagamento", 9, &[("Jogo de xícaras de porcelana", 1), ("Moedor manual", 1)]),
];

/// The order `number` as of `now_ms`; `None` for one the shop does not know.
pub fn find(number: u32, now_ms: i64) -> Option<Order> {
    let (number, status, days, items) = ORDERS.iter().find(|o| o.0 == number)?;
    let today = crate::domain::schedule::local_day(crate::domain::clock::DEFAULT_ZONE, now_ms)?;
    let day = today + chrono::Duration::days(*days);
    let items: Vec<Item> =
        items.iter().map(|(description, quantity)| Item { description, quantity: *quantity }).collect();
    let items_summary =
        items.iter().map(|i| format!("{}x {}", i.quantity, i.description)).collect::<Vec<_>>().join(", ");
    Some(Order { number: *number, status, items, items_summary, expected_delivery: day.format("%d/%m/%Y").to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_order_counts_its_delivery_from_today_and_others_are_unknown() {
        // 2026-12-21 10:00 in São Paulo.
        let order = find(4521, 1_797_858_000_000).unwrap();
        assert_eq!(order.expected_delivery, "24/12/2026");
        assert_eq!(order.items_summary, "1x Cafeteira italiana 6 xícaras, 2x Café em grãos 500 g");
        assert_eq!(find(9999, 1_797_858_000_000), None);
    }
}
