package audit

// The profiles as data (docs/platforms.md, What each platform accepts).
// Each accepted value cites the Druva page that documents it. Druva moved its help centre from
// docs.druva.com to help.druva.com; where both are live the current
// (help.druva.com) address is cited, and where the two disagree the profile
// accepts what any current page documents and its Note says so.
var (
	// The set-up guide this tool is built on (druva-okta-sso-guide.txt): the
	// custom SAML app for inSync Cloud users.
	citeGuide = Citation{
		Title: "Druva: How to configure SSO for inSync Users using Okta as IdP (the set-up guide)",
		URL:   "https://docs.druva.com/Knowledge_Base/inSync/How_To/How_to_configure_SSO_for_inSync_Users_using_Okta_as_IdP",
	}
	// The inSync SSO FAQ's RelayState table: administrators adminlogin; users
	// browseractivate "or optionally, can be left blank".
	citeSSOFAQ = Citation{
		Title: "Druva: Single Sign-On (SSO) FAQs, \"Which RelayState parameters are required\"",
		URL:   "https://docs.druva.com/Endpoints/050_Configure_inSync_Settings/Configure_inSync_for_Single_Sign-On_(SSO)/104_SSO_FAQs",
	}
	// inSync On-Premise with a custom Okta app: relay state blank, Name ID
	// Email Address, application username Email.
	citeOnPremOkta = Citation{
		Title: "Druva: How to configure Okta as an SSO method for inSync authentication? (inSync On-Premise)",
		URL:   "https://help.druva.com/en/articles/9159116-how-to-configure-okta-as-an-sso-method-for-insync-authentication",
	}
	// DCP users and administrators through custom Okta apps. Its versions
	// disagree: one has the users' app with relay state webrestore and
	// application username Email, another browserrestore or deviceactivate
	// with Okta username; both keep the admins' app blank or adminlogin.
	citeDCPOkta = Citation{
		Title: "Druva: How to configure SP and IdP initiated SSO for users and admin under one Druva instance using OKTA as an IDP",
		URL:   "https://help.druva.com/en/articles/8806061-how-to-configure-sp-and-idp-initiated-sso-for-users-and-admin-under-one-druva-instance-using-okta-as-an-idp",
	}
	// GovCloud (inSync and DCP) with a custom Okta app: "Name ID format: This
	// can be left unknown or select EmailAddress"; "Application username:
	// Okta username".
	citeGovCloudOkta = Citation{
		Title: "Druva: Configure SCIM and Single-Sign On between Druva GovCloud and OKTA",
		URL:   "https://help.druva.com/en/articles/9158900-configure-scim-and-single-sign-on-between-druva-govcloud-and-okta",
	}
)

// dcpVersionsNote is said wherever the DCP article's versions disagree.
const dcpVersionsNote = "Druva's DCP + Okta article has versions that disagree (webrestore with username Email; browserrestore or deviceactivate with Okta username): every value a current version documents is accepted"

var (
	insyncProfile = PlatformProfile{
		Family: "insync",
		UserRelayStates: []Accepted{
			{Value: "", Source: citeSSOFAQ, Note: "the SSO FAQ: users' relay state \"can be left blank\""},
			{Value: "browseractivate", Source: citeSSOFAQ},
		},
		AdminRelayStates: []Accepted{{Value: "adminlogin", Source: citeSSOFAQ}},
		NameIDFormats:    []Accepted{{Value: NameIDEmail, Source: citeGuide}},
		Usernames:        []Accepted{{Value: UsernameEmail, Source: citeGuide}},
	}
	dcpProfile = PlatformProfile{
		Family: "dcp",
		UserRelayStates: []Accepted{
			{Value: "", Source: citeDCPOkta, Note: "no Default RelayState: users start at Druva's sign-in page (SP-initiated), as the article's apps allow"},
			{Value: "webrestore", Source: citeDCPOkta, Note: dcpVersionsNote},
			{Value: "browserrestore", Source: citeDCPOkta, Note: dcpVersionsNote},
			{Value: "deviceactivate", Source: citeDCPOkta, Note: dcpVersionsNote},
		},
		AdminRelayStates: []Accepted{
			{Value: "", Source: citeDCPOkta, Note: "the article: \"For Admin app, you can Keep relay state blank or enter adminlogin\""},
			{Value: "adminlogin", Source: citeDCPOkta},
		},
		NameIDFormats: []Accepted{{Value: NameIDEmail, Source: citeDCPOkta}},
		Usernames: []Accepted{
			{Value: UsernameEmail, Source: citeDCPOkta},
			{Value: UsernameOktaUsername, Source: citeDCPOkta, Note: "Druva's DCP + Okta article shows Application username = Okta username; " + dcpVersionsNote},
		},
	}
)

// govcloud widens a profile as Druva's GovCloud + Okta article allows.
func govcloud(p PlatformProfile) PlatformProfile {
	p.NameIDFormats = append(append([]Accepted{}, p.NameIDFormats...),
		Accepted{Value: NameIDUnspecified, Source: citeGovCloudOkta, Note: "Druva's GovCloud + Okta article: the Name ID format \"can be left unknown or select EmailAddress\""})
	if _, ok := Find(p.Usernames, UsernameOktaUsername); !ok {
		p.Usernames = append(append([]Accepted{}, p.Usernames...),
			Accepted{Value: UsernameOktaUsername, Source: citeGovCloudOkta, Note: "Druva's GovCloud + Okta article shows Application username = Okta username"})
	} else {
		// Both pages document it: cite the GovCloud one, which is the
		// platform's own.
		for i := range p.Usernames {
			if p.Usernames[i].Value == UsernameOktaUsername {
				p.Usernames = append([]Accepted{}, p.Usernames...)
				p.Usernames[i] = Accepted{Value: UsernameOktaUsername, Source: citeGovCloudOkta, Note: "Druva's GovCloud + Okta article shows Application username = Okta username"}
			}
		}
	}
	return p
}

// onprem cites the inSync On-Premise article for what it documents.
func onprem(p PlatformProfile) PlatformProfile {
	p.UserRelayStates = append([]Accepted{}, p.UserRelayStates...)
	p.UserRelayStates[0] = Accepted{Value: "", Source: citeOnPremOkta, Note: "the On-Premise article: \"Default Relay State: Leave this field blank\""}
	p.NameIDFormats = []Accepted{{Value: NameIDEmail, Source: citeOnPremOkta}}
	p.Usernames = []Accepted{{Value: UsernameEmail, Source: citeOnPremOkta}}
	return p
}

// Profile returns what the platform accepts (docs/platforms.md, What each
// platform accepts).
func (p Platform) Profile() PlatformProfile {
	switch p.Name {
	case "insync-govcloud":
		return govcloud(insyncProfile)
	case "insync-onprem":
		return onprem(insyncProfile)
	case "dcp-govcloud":
		return govcloud(dcpProfile)
	case "dcp", "dcp-dell":
		return dcpProfile
	}
	return insyncProfile
}
