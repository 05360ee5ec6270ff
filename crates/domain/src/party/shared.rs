//! What every party's form and patch hold and how a patch overlays a form, written once:
//! contacts, address, tags, qualification (stage, lead status and source, BANT), notes and
//! custom values. A kind lists only its own fields ([`party_content!`]).

/// Declares a patch struct: the given fields, then the ones every party shares.
macro_rules! party_patch_struct {
    ($(#[$meta:meta])* $name:ident { $($own:tt)* }) => {
        $(#[$meta])*
        pub struct $name {
            $($own)*
            pub emails: Option<Vec<String>>,
            pub phones: Option<Vec<String>>,
            pub street: Option<String>,
            pub district: Option<String>,
            pub city: Option<String>,
            pub postal_code: Option<String>,
            pub country: Option<String>,
            pub tags: Option<Vec<String>>,
            pub lifecycle_stage: Option<String>,
            pub lead_status: Option<String>,
            pub lead_source: Option<String>,
            pub unqualified_reason: Option<String>,
            pub bant_budget: Option<bool>,
            pub bant_authority: Option<bool>,
            pub bant_need: Option<bool>,
            pub bant_timing: Option<bool>,
            pub notes: Option<String>,
        }
    };
}

/// Declares a party's raw form and its patch from one list of the kind's own fields: the
/// form holds them as typed (then the fields every party shares), the patch holds each as
/// an `Option` (`None` keeps the current value).
macro_rules! party_content {
    (
        $(#[$form_meta:meta])*
        form $form:ident, patch $patch:ident {
            $($(#[$fmeta:meta])* $field:ident: $ty:ty,)*
        }
    ) => {
        $(#[$form_meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
        pub struct $form {
            $($(#[$fmeta])* pub $field: $ty,)*
            pub emails: Vec<String>,
            pub phones: Vec<String>,
            pub address: Address,
            pub tags: Vec<String>,
            pub lifecycle_stage: String,
            pub lead_status: String,
            pub lead_source: String,
            /// Why the lead was unqualified (required with that status).
            #[serde(default)]
            pub unqualified_reason: String,
            pub bant: Bant,
            pub notes: String,
            /// Custom values, already checked against their definitions by the services.
            #[serde(default)]
            pub custom: CustomValues,
        }

        party_patch_struct! {
            /// The fields a request mentions (its own, then the ones every party shares);
            /// `None` keeps the current value.
            #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
            $patch {
                $(pub $field: Option<$ty>,)*
                /// Custom values to set (`null` clears one); checked by the services, which
                /// know the definitions.
                #[serde(default)]
                pub custom: Option<serde_json::Map<String, serde_json::Value>>,
            }
        }

        impl $patch {
            /// Sets the shared fields from `party` (its `None`s clear what was set).
            pub fn set_party(&mut self, party: PartyPatch) {
                self.emails = party.emails;
                self.phones = party.phones;
                self.street = party.street;
                self.district = party.district;
                self.city = party.city;
                self.postal_code = party.postal_code;
                self.country = party.country;
                self.tags = party.tags;
                self.lifecycle_stage = party.lifecycle_stage;
                self.lead_status = party.lead_status;
                self.lead_source = party.lead_source;
                self.unqualified_reason = party.unqualified_reason;
                self.bant_budget = party.bant_budget;
                self.bant_authority = party.bant_authority;
                self.bant_need = party.bant_need;
                self.bant_timing = party.bant_timing;
                self.notes = party.notes;
            }
        }

        impl $form {
            /// Overlays the fields a patch mentions (custom values are the services' to
            /// check and set).
            pub fn apply(&mut self, patch: $patch) {
                $(overlay(&mut self.$field, patch.$field);)*
                overlay(&mut self.emails, patch.emails);
                overlay(&mut self.phones, patch.phones);
                overlay(&mut self.address.street, patch.street);
                overlay(&mut self.address.district, patch.district);
                overlay(&mut self.address.city, patch.city);
                overlay(&mut self.address.postal_code, patch.postal_code);
                overlay(&mut self.address.country, patch.country);
                overlay(&mut self.tags, patch.tags);
                overlay(&mut self.lifecycle_stage, patch.lifecycle_stage);
                overlay(&mut self.lead_status, patch.lead_status);
                overlay(&mut self.lead_source, patch.lead_source);
                overlay(&mut self.unqualified_reason, patch.unqualified_reason);
                overlay(&mut self.bant.budget, patch.bant_budget);
                overlay(&mut self.bant.authority, patch.bant_authority);
                overlay(&mut self.bant.need, patch.bant_need);
                overlay(&mut self.bant.timing, patch.bant_timing);
                overlay(&mut self.notes, patch.notes);
            }
        }
    };
}

party_patch_struct! {
    /// The shared fields of a party patch on their own, for code that builds them the same
    /// way for every party (a posted form's sections). [`party_content!`] patches take it
    /// with `set_party`.
    #[derive(Debug, Clone, Default, PartialEq, Eq)]
    PartyPatch {}
}
