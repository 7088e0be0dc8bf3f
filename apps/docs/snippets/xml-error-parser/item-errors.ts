// #region items
import { ItemErrors } from "@mws-kit/xml-error-parser"

/** A GetMatchingProductForId answer: HTTP 200, one item found, one not. */
const body = `<?xml version="1.0"?>
<GetMatchingProductForIdResponse xmlns="http://mws.amazonservices.com/schema/Products/2011-10-01">
  <GetMatchingProductForIdResult Id="B00SANDBOX1" IdType="ASIN" status="Success">
    <Products><Product/></Products>
  </GetMatchingProductForIdResult>
  <GetMatchingProductForIdResult Id="B00MISSING" IdType="ASIN" status="ClientError">
    <Error>
      <Type>Sender</Type>
      <Code>InvalidParameterValue</Code>
      <Message>Invalid ASIN identifier B00MISSING for marketplace ATVPDKIKX0DER</Message>
    </Error>
  </GetMatchingProductForIdResult>
  <ResponseMetadata><RequestId>1f2e3d4c-5b6a-4789-8a9b-0c1d2e3f4a5b</RequestId></ResponseMetadata>
</GetMatchingProductForIdResponse>`

export const items = ItemErrors.fromSuccessBody({
  status: 200,
  body,
  section: "Products",
  operation: "GetMatchingProductForId"
})
// Success([{ element: "GetMatchingProductForIdResult", status: "ClientError",
//            identifier: { Id: "B00MISSING", IdType: "ASIN" }, error: MwsError(InvalidParameterValue) }])
// #endregion items
