package iam

// AWSManagedDocument returns the default version's document of an AWS managed
// policy in the catalog (for the authorisation point); ok is false for an
// unknown ARN.
func AWSManagedDocument(arn string) (document string, ok bool) {
	if doc, ok := RootTaskPolicyDocument(arn); ok { // roottask.go
		return doc, true
	}
	m, ok := lookupAWSManaged(arn)
	return m.Document, ok
}
