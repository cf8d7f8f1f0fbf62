//! Create a contact, attach it to a company, add a note, list the notes.
//!
//! `INTERCOM_TOKEN=… cargo run -p intercom-api --example quickstart`
//! (`INTERCOM_BASE_URL` points it elsewhere, e.g. at a mock server; `cargo xtask test` runs it
//! against Prism.)

use intercom_api::v2_11::models::{AttachContactToACompanyRequest, CreateContactRequest, CreateNoteRequest};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut builder = intercom_api::Client::builder(std::env::var("INTERCOM_TOKEN")?);
    if let Ok(url) = std::env::var("INTERCOM_BASE_URL") {
        builder = builder.base_url(url);
    }
    let client = builder.build();
    let api = client.v2_11();

    let contact = api
        .contacts()
        .create_contact(CreateContactRequest { email: Some("ada@example.com".into()), ..Default::default() })
        .await?;
    let contact_id = contact.id.ok_or("the new contact has no id")?;
    let company = AttachContactToACompanyRequest::new("6762f0dd1bb69f9f2193bb7b");
    api.contacts().attach_contact_to_a_company(&contact_id, company).await?;
    api.notes().create_note(&contact_id, CreateNoteRequest::new("Met at the conference")).await?;

    let notes = api.notes().list_notes(&contact_id).await?;
    for note in notes.data.unwrap_or_default() {
        println!("note {}: {}", note.id.unwrap_or_default(), note.body.unwrap_or_default());
    }
    Ok(())
}
