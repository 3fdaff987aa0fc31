//! The flows the flow benches run: three blocks, and thirty for the editor.

use atende::domain::flow::Definition;

/// Greeting, a menu of three, a transfer to `team`.
pub fn three_blocks(team: i64) -> Definition {
    serde_json::from_value(serde_json::json!({
        "start": "ola",
        "blocks": [
            {"id": "ola", "name": "Boas-vindas", "type": "message", "text": "Olá, {{nome}}!", "next": "menu"},
            {"id": "menu", "name": "Menu", "type": "menu", "text": "Como posso ajudar?",
             "options": [{"label": "Vendas", "next": "vendas"}, {"label": "Financeiro", "next": "vendas"},
                         {"label": "Suporte", "next": "vendas"}], "invalid": "vendas"},
            {"id": "vendas", "name": "Vendas", "type": "transfer", "team_id": team}
        ]
    }))
    .expect("a flow")
}

/// A greeting, a nine-option menu, a question and a close per option, loose closes up to 30.
pub fn thirty_blocks() -> Definition {
    let mut blocks = vec![
        serde_json::json!({"id": "ola", "name": "Boas-vindas", "type": "message", "text": "Olá!", "next": "menu"}),
    ];
    let options: Vec<_> =
        (1..=9).map(|i| serde_json::json!({"label": format!("Assunto {i}"), "next": format!("p{i}")})).collect();
    blocks.push(serde_json::json!({"id": "menu", "name": "Menu", "type": "menu", "text": "Escolha", "options": options, "invalid": "ola"}));
    for i in 1..=9 {
        blocks.push(
            serde_json::json!({"id": format!("p{i}"), "name": format!("Pergunta {i}"), "type": "ask", "text": "?",
            "field": "nome", "validation": {"kind": "text"}, "next": format!("t{i}"), "invalid": "menu"}),
        );
        blocks.push(
            serde_json::json!({"id": format!("t{i}"), "name": format!("Fim {i}"), "type": "close", "text": "Tchau"}),
        );
    }
    while blocks.len() < 30 {
        let n = blocks.len();
        blocks.push(serde_json::json!({"id": format!("s{n}"), "name": "Solto", "type": "close", "text": "x"}));
    }
    serde_json::from_value(serde_json::json!({"start": "ola", "blocks": blocks})).expect("a flow")
}
