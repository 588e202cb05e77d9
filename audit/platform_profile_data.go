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
	// inSync Cloud administrators through Okta's "Druva" catalog app: "Make
	// sure to enter the relay state as : adminlogin, otherwise admin will
	// never get authenticated".
	citeInSyncAdminsOkta = Citation{
		Title: "Druva: How to configure SSO for administrators on Druva inSync Cloud using the IdP OKTA?",
		URL:   "https://docs.druva.com/Knowledge_Base/inSync/How_To/How_to_configure_SSO_for_administrators_on_Druva_inSync_Cloud_using_the_IdP_OKTA%3F",
	}
	// DCP with Google Workspace as the IdP: "Start URL and Signed Responses
	// are not required here" (Google's Start URL is its Default RelayState).
	// No Okta page of Druva's leaves the users' relay state blank on DCP.
	citeDCPGoogle = Citation{
		Title: "Druva: How to configure SSO for Druva Cloud Platform (DCP) using Google as IdP",
		URL:   "https://help.druva.com/en/articles/8806620-how-to-configure-sso-for-druva-cloud-platform-dcp-using-google-as-idp",
	}
	// Managed Services Center through a custom Okta app: ACS URL
	// …/mspsamlconsume, entity ID MSC-login, Name ID "Email Address",
	// druva_auth_token, "The username should match the email address used
	// for MSC Administrators"; no relay state.
	citeMSCOkta = Citation{
		Title: "Druva: Configure Single Sign-On with Okta for Managed Services Center",
		URL:   "https://help.druva.com/en/articles/8806019-configure-single-sign-on-with-okta-for-managed-services-center",
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
		AdminRelayStates: []Accepted{{Value: "adminlogin", Source: citeInSyncAdminsOkta, Note: "Druva's inSync administrators' Okta article: \"Make sure to enter the relay state as : adminlogin, otherwise admin will never get authenticated\"; the SSO FAQ lists adminlogin for administrators too"}},
		NameIDFormats:    []Accepted{{Value: NameIDEmail, Source: citeGuide}},
		Usernames:        []Accepted{{Value: UsernameEmail, Source: citeGuide}},
	}
	dcpProfile = PlatformProfile{
		Family: "dcp",
		UserRelayStates: []Accepted{
			{Value: "", Source: citeDCPGoogle, Note: "no Default RelayState: users start at Druva's sign-in page (SP-initiated). Druva's DCP + Okta article leaves the relay state blank for the admins' app only; a blank users' relay state rests on Druva's DCP page for Google Workspace (\"Start URL and Signed Responses are not required here\"; the Start URL is Google's relay state)"},
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

// mscProfile is the Managed Services Center's: one administrators' app,
// no relay state, Name ID EmailAddress, the administrator's email as the
// username.
var mscProfile = PlatformProfile{
	Family:           "msc",
	UserRelayStates:  []Accepted{{Value: "", Source: citeMSCOkta, Note: "Druva's MSC + Okta article sets no Default RelayState"}},
	AdminRelayStates: []Accepted{{Value: "", Source: citeMSCOkta, Note: "Druva's MSC + Okta article sets no Default RelayState: every MSC app is an administrators' app"}},
	NameIDFormats:    []Accepted{{Value: NameIDEmail, Source: citeMSCOkta}},
	Usernames:        []Accepted{{Value: UsernameEmail, Source: citeMSCOkta, Note: "Druva's MSC + Okta article: \"The username should match the email address used for MSC Administrators\""}},
	AdminsOnly:       true,
	NoUserProfiles:   true,
}

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
	case "msc":
		return mscProfile
	}
	return insyncProfile
}
