//! The web chat channel: the settings an administrator gives it (colour, greeting,
//! pre-chat fields), the visitors who write through the widget and what they may see
//! of their conversation, and its sender. The widget's HTTP side lives in `web::widget`.

mod sender;
mod settings;
mod visitors;
mod widget_message;

pub use sender::WebChatSender;
pub use settings::{from_form, is_color, new_key, Ask, Settings};
pub use visitors::{
    belongs_to, current_conversation, register, register_visitor, validate_visitor, visitor_identity, visitor_message,
    visitor_messages, Refusal, Visitor, VisitorForm, VisitorMessage,
};
pub use widget_message::WidgetMessage;
