package audit

// The profiles as data. Citations name Druva's pages; the issue-9 work fills
// in their addresses from Druva's help centre.
var (
	citeGuide       = Citation{Title: "Druva guide: Configure Okta for Druva (druva-okta-sso-guide)"}
	citeSSOFAQ      = Citation{Title: "Druva: SSO FAQ (inSync relay states)"}
	citeDCPOkta     = Citation{Title: "Druva: SSO for Druva Cloud Platform with Okta"}
	citeGovCloudOkt = Citation{Title: "Druva: Configure SSO for GovCloud with Okta"}
)

var (
	insyncProfile = PlatformProfile{
		Family: "insync",
		UserRelayStates: []Accepted{
			{Value: "", Source: citeGuide},
			{Value: "browseractivate", Source: citeSSOFAQ},
		},
		AdminRelayStates: []Accepted{{Value: "adminlogin", Source: citeSSOFAQ}},
		NameIDFormats:    []Accepted{{Value: NameIDEmail, Source: citeGuide}},
		Usernames:        []Accepted{{Value: UsernameEmail, Source: citeGuide}},
	}
	dcpProfile = PlatformProfile{
		Family: "dcp",
		UserRelayStates: []Accepted{
			{Value: "", Source: citeDCPOkta},
			{Value: "webrestore", Source: citeDCPOkta},
			{Value: "browserrestore", Source: citeDCPOkta},
			{Value: "deviceactivate", Source: citeDCPOkta},
		},
		AdminRelayStates: []Accepted{
			{Value: "", Source: citeDCPOkta},
			{Value: "adminlogin", Source: citeDCPOkta},
		},
		NameIDFormats: []Accepted{{Value: NameIDEmail, Source: citeDCPOkta}},
		Usernames: []Accepted{
			{Value: UsernameEmail, Source: citeDCPOkta},
			{Value: UsernameOktaUsername, Source: citeDCPOkta, Note: "Druva's DCP + Okta article shows Okta username"},
		},
	}
)

// govcloud widens a profile as Druva's GovCloud + Okta article allows.
func govcloud(p PlatformProfile) PlatformProfile {
	p.NameIDFormats = append(append([]Accepted{}, p.NameIDFormats...),
		Accepted{Value: NameIDUnspecified, Source: citeGovCloudOkt, Note: "Druva's GovCloud + Okta article lets the Name ID format be left Unspecified"})
	if _, ok := Find(p.Usernames, UsernameOktaUsername); !ok {
		p.Usernames = append(append([]Accepted{}, p.Usernames...),
			Accepted{Value: UsernameOktaUsername, Source: citeGovCloudOkt, Note: "Druva's GovCloud + Okta article shows Okta username"})
	}
	return p
}

// Profile returns what the platform accepts (PRODUCT.md section 2a).
func (p Platform) Profile() PlatformProfile {
	switch p.Name {
	case "insync-govcloud":
		return govcloud(insyncProfile)
	case "dcp-govcloud":
		return govcloud(dcpProfile)
	case "dcp", "dcp-dell":
		return dcpProfile
	}
	return insyncProfile
}
